import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/chain.js';
import { httpError } from './errors.js';

/** Who is calling: set on request.principal by the guard. */
export interface Principal {
  type: 'user' | 'api_key' | 'bootstrap';
  id: string;
  roles: string[];
  email?: string;
  session_id?: string;
  /** Authentication methods: pwd, otp … */
  amr?: string[];
  /** Seconds since epoch of the last interactive authentication. */
  auth_time?: number;
  /** A token that may only enroll MFA (role requires it, none set up yet). */
  mfa_enrollment_only?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest { principal?: Principal }
}

/** The audit actor behind a request: its principal (anonymous before the guard), address and user agent. */
export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  const ua = req.headers['user-agent'];
  return { type: p ? p.type : 'anonymous', id: p?.id ?? null, ip: req.ip ?? null, user_agent: typeof ua === 'string' ? ua.slice(0, 512) : null };
}

/** The principal behind a request as one string (`user:ID`, `api_key:ID`), or undefined before the guard. */
export function principalKey(req: FastifyRequest): string | undefined {
  return req.principal ? `${req.principal.type}:${req.principal.id}` : undefined;
}

export interface RequireOptions {
  /** Require an MFA (amr otp) within the last N minutes. */
  stepUpMinutes?: number;
  /** Routes an MFA-enrollment-only token may use. */
  allowMfaEnrollment?: boolean;
}

export interface GuardDeps {
  /** WARDEN_BOOTSTRAP_TOKEN; honoured only while bootstrapOpen() says so. */
  bootstrapToken: string | null;
  bootstrapOpen?: () => Promise<boolean> | boolean;
  /** Turns a bearer credential (JWT or API key) into a principal, or null. */
  authenticate?: (credential: string, req: FastifyRequest) => Promise<Principal | null>;
  /** Throws a WardenError (403) when principal may not do permission. */
  authorize?: (principal: Principal, permission: string, req: FastifyRequest) => Promise<void> | void;
  now?: () => Date;
}

export type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
export interface Guard {
  require(permission: string, opts?: RequireOptions): PreHandler;
  /** Authenticated, any permission. */
  authenticated(opts?: RequireOptions): PreHandler;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The one authentication guard every non-public route goes through. */
export function createGuard(deps: GuardDeps): Guard {
  async function identify(req: FastifyRequest): Promise<Principal> {
    if (req.principal) return req.principal;
    const h = req.headers.authorization;
    const m = typeof h === 'string' ? /^Bearer\s+(\S{1,4096})$/i.exec(h.trim()) : null;
    if (!m) throw httpError('UNAUTHENTICATED', 'Send Authorization: Bearer <access token or API key>');
    const cred = m[1];
    if (deps.bootstrapToken && sameSecret(cred, deps.bootstrapToken)) {
      const open = deps.bootstrapOpen ? await deps.bootstrapOpen() : true;
      if (!open) throw httpError('UNAUTHENTICATED', 'The bootstrap token is no longer accepted: an administrator exists');
      req.principal = { type: 'bootstrap', id: 'bootstrap', roles: ['admin'] };
      return req.principal;
    }
    const p = deps.authenticate ? await deps.authenticate(cred, req) : null;
    if (!p) throw httpError('UNAUTHENTICATED', 'The credential is invalid, expired or revoked');
    req.principal = p;
    return p;
  }

  function checkStepUp(p: Principal, opts: RequireOptions): void {
    if (p.mfa_enrollment_only && !opts.allowMfaEnrollment) {
      throw httpError('FORBIDDEN', 'Your role requires MFA: enroll a TOTP authenticator first (/v1/me/mfa/totp)', { reason: 'mfa_enrollment_required' });
    }
    if (opts.stepUpMinutes !== undefined && p.type === 'user') {
      const now = (deps.now?.() ?? new Date()).getTime() / 1000;
      if (!p.amr?.includes('otp') || !p.auth_time || now - p.auth_time > opts.stepUpMinutes * 60) {
        throw httpError('FORBIDDEN', `This action needs an MFA sign-in within the last ${opts.stepUpMinutes} minutes`, { reason: 'step_up_required' });
      }
    }
  }

  return {
    require(permission, opts = {}) {
      return async (req) => {
        const p = await identify(req);
        checkStepUp(p, opts);
        if (p.type === 'bootstrap') return;
        if (deps.authorize) await deps.authorize(p, permission, req);
        else if (!p.roles.includes('admin')) throw httpError('FORBIDDEN', `denied: ${permission} requires the admin role`);
      };
    },
    authenticated(opts = {}) {
      return async (req) => {
        const p = await identify(req);
        checkStepUp(p, opts);
      };
    },
  };
}
