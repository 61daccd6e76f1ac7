import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { identityError } from './errors.js';
import { newSecret } from './secrets.js';

/**
 * The dashboard's refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to
 * /v1/auth. A request that relies on that cookie (no refresh_token in the body) must also
 * carry X-Warden-CSRF equal to the readable `warden_csrf` cookie (double submit).
 */
export const REFRESH_COOKIE = 'refresh_token';
export const CSRF_COOKIE = 'warden_csrf';
export const CSRF_HEADER = 'x-warden-csrf';

export function setTokenCookies(reply: FastifyReply, refreshToken: string, maxAgeS: number, secure: boolean): void {
  void reply.setCookie(REFRESH_COOKIE, refreshToken, { httpOnly: true, sameSite: 'strict', secure, path: '/v1/auth', maxAge: maxAgeS });
  void reply.setCookie(CSRF_COOKIE, newSecret(18), { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge: maxAgeS });
}

export function clearTokenCookies(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(REFRESH_COOKIE, { path: '/v1/auth', secure, sameSite: 'strict', httpOnly: true });
  void reply.clearCookie(CSRF_COOKIE, { path: '/', secure, sameSite: 'strict' });
}

function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The refresh token from the body, or from the cookie after the CSRF check; null when neither. */
export function refreshTokenOf(req: FastifyRequest, body: { refresh_token?: string } | undefined): string | null {
  if (body?.refresh_token) return body.refresh_token;
  const fromCookie = req.cookies?.[REFRESH_COOKIE];
  if (!fromCookie) return null;
  const header = req.headers[CSRF_HEADER];
  const csrf = req.cookies?.[CSRF_COOKIE];
  if (typeof header !== 'string' || !csrf || header.length > 256 || !same(header, csrf)) {
    throw identityError('CSRF_FAILED', `Send the ${CSRF_HEADER} header with the value of the ${CSRF_COOKIE} cookie`);
  }
  return fromCookie;
}
