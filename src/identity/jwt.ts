import { randomUUID, sign, type KeyObject } from 'node:crypto';
import { type JWTHeaderParameters, jwtVerify } from 'jose';
import type { Clock } from '../clock.js';

/**
 * Access tokens: JWTs signed EdDSA (Ed25519) with the keyring's primary version, `typ at+jwt`
 * (RFC 9068). Verification accepts only EdDSA, only kids of the keyring, the configured iss
 * and aud, and a live exp/nbf; anything else is refused without telling why.
 */
export interface SigningKeyPairLike {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  versions: Array<{ kid: string; publicKey: KeyObject; retired: boolean }>;
}

export interface TokenKeyProvider { signingKeyPair(name: string): Promise<SigningKeyPairLike> }

export interface AccessClaims {
  sub: string;
  sid: string;
  roles: string[];
  amr: string[];
  auth_time: number;
  /** Good only for /v1/me and /v1/me/mfa/* (role requires MFA, none enrolled). */
  mfa_enroll?: boolean;
  jti: string;
  iat: number;
  exp: number;
}

export const TOKEN_TYPE = 'at+jwt';

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const CLOCK_TOLERANCE_S = 5;

export function createTokenSigner(deps: { keys: TokenKeyProvider; keyName: string; clock: Clock; issuer: string; audience: string; ttl: number }) {
  const { keys, keyName, clock } = deps;
  let pair: SigningKeyPairLike | null = null;
  let loadedAt = 0;
  let loading: Promise<SigningKeyPairLike> | null = null;
  let byKid = new Map<string, KeyObject>();

  async function load(): Promise<SigningKeyPairLike> {
    if (!loading) {
      loading = keys.signingKeyPair(keyName).then((p) => {
        pair = p;
        loadedAt = Date.now();
        byKid = new Map(p.versions.filter((v) => !v.retired).map((v) => [v.kid, v.publicKey]));
        return p;
      }).finally(() => { loading = null; });
    }
    return loading;
  }

  /** The cached key pair, refreshed in the background every 30 s (rotations by other processes). */
  async function current(): Promise<SigningKeyPairLike> {
    if (!pair) return load();
    if (Date.now() - loadedAt > 30_000) void load().catch(() => undefined);
    return pair;
  }

  async function issue(c: Omit<AccessClaims, 'jti' | 'iat' | 'exp'>, notAfter?: Date): Promise<{ token: string; exp: number; jti: string }> {
    const p = await current();
    const iat = Math.floor(clock().getTime() / 1000);
    let exp = iat + deps.ttl;
    if (notAfter) exp = Math.max(iat + 1, Math.min(exp, Math.floor(notAfter.getTime() / 1000)));
    const jti = randomUUID();
    const body: Record<string, unknown> = { sid: c.sid, roles: c.roles, amr: c.amr, auth_time: c.auth_time };
    if (c.mfa_enroll) body.mfa_enroll = true;
    Object.assign(body, { sub: c.sub, iss: deps.issuer, aud: deps.audience, iat, nbf: iat, exp, jti });
    // JWS compact serialization (RFC 7515), signed Ed25519 in this thread (about 40 µs),
    // where WebCrypto's sign is a job and a promise per token.
    const signingInput = `${b64url({ alg: 'EdDSA', kid: p.kid, typ: TOKEN_TYPE })}.${b64url(body)}`;
    const token = `${signingInput}.${sign(null, Buffer.from(signingInput), p.privateKey).toString('base64url')}`;
    return { token, exp, jti };
  }

  let lastMissReload = 0;
  async function keyFor(header: JWTHeaderParameters): Promise<KeyObject> {
    await current();
    const kid = typeof header.kid === 'string' ? header.kid : '';
    let k = byKid.get(kid);
    // An unknown kid may be a rotation by another process: reload, at most every 5 s.
    if (!k && kid.startsWith(`${keyName}:`) && Date.now() - lastMissReload > 5_000) {
      lastMissReload = Date.now();
      await load();
      k = byKid.get(kid);
    }
    if (!k) throw new Error('unknown kid');
    return k;
  }

  // Tokens whose signature was verified, until they expire (clients resend the same token for
  // minutes): a hit skips the signature check only; exp and the kid (still published) are
  // checked again, revocation by the caller. The kid is kept with the claims, so a hit parses
  // nothing.
  const verified = new Map<string, { claims: AccessClaims; kid: string }>();

  /** The claims of a valid access token, or null. */
  async function verify(token: string): Promise<AccessClaims | null> {
    if (token.length > 4096) return null;
    const hit = verified.get(token);
    if (hit) {
      if (hit.claims.exp + CLOCK_TOLERANCE_S > clock().getTime() / 1000 && byKid.has(hit.kid)) return hit.claims;
      verified.delete(token);
    }
    if (token.split('.').length !== 3) return null;
    const claims = await verifyFully(token);
    if (claims) {
      if (verified.size >= 10_000) verified.clear();
      verified.set(token, { claims, kid: kidOf(token) });
    }
    return claims;
  }

  function kidOf(token: string): string {
    try { return String(JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString()).kid); } catch { return ''; }
  }

  async function verifyFully(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, keyFor, {
        algorithms: ['EdDSA'], issuer: deps.issuer, audience: deps.audience, typ: TOKEN_TYPE,
        currentDate: clock(), clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'sid', 'exp', 'iat', 'nbf', 'jti', 'auth_time'],
      });
      const now = clock().getTime() / 1000;
      if (typeof payload.iat !== 'number' || payload.iat > now + CLOCK_TOLERANCE_S) return null;
      if (typeof payload.sid !== 'string' || typeof payload.auth_time !== 'number') return null;
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      const amr = Array.isArray(payload.amr) ? payload.amr.filter((r): r is string => typeof r === 'string') : [];
      return {
        sub: payload.sub!, sid: payload.sid, roles, amr, auth_time: payload.auth_time, jti: payload.jti!,
        iat: payload.iat, exp: payload.exp!, ...(payload.mfa_enroll === true ? { mfa_enroll: true } : {}),
      };
    } catch {
      return null;
    }
  }

  /** Every published (non-retired) version: an old key stays until it is retired after its tokens expired. */
  async function jwks(): Promise<{ keys: Array<Record<string, unknown>> }> {
    await load();
    return {
      keys: pair!.versions.filter((v) => !v.retired).map((v) => ({
        ...v.publicKey.export({ format: 'jwk' }), kid: v.kid, alg: 'EdDSA', use: 'sig',
      })),
    };
  }

  return { issue, verify, jwks, reload: load };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;
