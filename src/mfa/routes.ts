import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type Guard } from '../http/guard.js';
import { mfaError } from './errors.js';
import type { Mfa } from './index.js';

export interface MfaRoutesDeps {
  mfa: Mfa;
  guard: Guard;
  /** The label apps show under the issuer (the user's email). */
  labelOf: (userId: string) => Promise<string | null>;
  /** A confirmed enrollment counts as an MFA sign-in for the session that did it. */
  onConfirmed?: (sessionId: string) => Promise<void>;
}

const codeBody = { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', minLength: 1, maxLength: 16 } } } as const;
const codesResponse = { type: 'object', properties: { backup_codes: { type: 'array', items: { type: 'string' } } } } as const;

function userOf(req: FastifyRequest): string {
  const p = req.principal!;
  if (p.type !== 'user') throw mfaError('MFA_NOT_ENROLLED', 'Only users have MFA');
  return p.id;
}

/** Self-service MFA (/v1/me/mfa/*, usable with an enrollment-only token) and the admin reset. */
export function mfaRoutes(deps: MfaRoutesDeps) {
  const { mfa, guard } = deps;
  const me = guard.authenticated({ allowMfaEnrollment: true });
  return async (app: FastifyInstance) => {
    app.get('/v1/me/mfa', {
      preHandler: me,
      schema: { tags: ['mfa'], summary: 'My MFA status', response: { 200: { type: 'object', properties: { totp: { type: 'boolean' }, pending: { type: 'boolean' }, backup_codes_remaining: { type: 'integer' } } } } },
    }, async (req) => mfa.status(userOf(req)));

    app.post('/v1/me/mfa/totp', {
      preHandler: me,
      schema: {
        tags: ['mfa'], summary: 'Start TOTP enrollment: secret, otpauth URI and QR code (active after confirm)',
        response: { 200: { type: 'object', properties: { secret: { type: 'string' }, otpauth_uri: { type: 'string' }, qr_code: { type: 'string' } } } },
      },
    }, async (req) => {
      const id = userOf(req);
      return mfa.startEnrollment(id, (await deps.labelOf(id)) ?? id);
    });

    app.post('/v1/me/mfa/totp/confirm', {
      preHandler: me, config: { rateLimit: 'strict' },
      schema: { tags: ['mfa'], summary: 'Confirm enrollment with a first code; returns the backup codes once', body: codeBody, response: { 200: codesResponse } },
    }, async (req) => {
      const r = await mfa.confirmEnrollment(userOf(req), (req.body as { code: string }).code, actorOf(req));
      if (req.principal!.session_id && deps.onConfirmed) await deps.onConfirmed(req.principal!.session_id);
      return r;
    });

    app.delete('/v1/me/mfa/totp', {
      preHandler: guard.authenticated(), config: { rateLimit: 'strict' },
      schema: { tags: ['mfa'], summary: 'Remove my authenticator (needs a current code)', body: codeBody },
    }, async (req, reply) => {
      await mfa.disable(userOf(req), (req.body as { code: string }).code, actorOf(req));
      return reply.status(204).send();
    });

    app.post('/v1/me/mfa/backup-codes', {
      preHandler: guard.authenticated(), config: { rateLimit: 'strict' },
      schema: { tags: ['mfa'], summary: 'New backup codes (the old ones stop working; needs a current code)', body: codeBody, response: { 200: codesResponse } },
    }, async (req) => mfa.regenerateBackupCodes(userOf(req), (req.body as { code: string }).code, actorOf(req)));

    app.delete('/v1/users/:id/mfa', {
      preHandler: guard.require('admin:users'),
      schema: {
        tags: ['mfa'], summary: "Reset a user's MFA (audited)",
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: { 200: { type: 'object', properties: { reset: { type: 'boolean' } } } },
      },
    }, async (req) => {
      return { reset: await mfa.reset((req.params as { id: string }).id, actorOf(req)) };
    });
  };
}
