import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { identityFixture, SYSTEM } from './testing.js';

let db: Db;
let f: ReturnType<typeof identityFixture>;
let good: { access_token: string; refresh_token: string };
let userId: string;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const parts = (t: string) => t.split('.');
const payloadOf = (t: string) => JSON.parse(Buffer.from(parts(t)[1], 'base64url').toString());

beforeAll(async () => {
  db = await openTestDb();
  f = identityFixture(db);
  userId = (await f.identity.createUser({ email: 'eve.target@example.com', password: 'correct horse battery', roles: ['analyst'] }, SYSTEM)).id;
  good = (await f.identity.login('eve.target@example.com', 'correct horse battery', {})) as typeof good;
});
afterAll(async () => { await db.close(); });

/** Signs claims like a real token (defaults from the good one) with a chosen key and header. */
async function forge(over: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key = f.keys.current().privateKey) {
  const base = { ...payloadOf(good.access_token), ...over };
  return new SignJWT(base).setProtectedHeader({ alg: 'EdDSA', kid: f.keys.current().kid, typ: 'at+jwt', ...header } as never).sign(key);
}

describe('access tokens refuse attacks', () => {
  it('an issued token is a standard EdDSA JWT: an independent verifier accepts it with the published JWKS', async () => {
    const jwks = createLocalJWKSet(await f.identity.jwks() as never);
    const { payload, protectedHeader } = await jwtVerify(good.access_token, jwks, { algorithms: ['EdDSA'], typ: 'at+jwt', currentDate: f.clock() });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: f.keys.current().kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: userId, roles: ['analyst'], amr: ['pwd'] });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('accepts the genuine token and a faithful re-signing (the forge helper is sound)', async () => {
    expect(await f.identity.authenticate(good.access_token)).toMatchObject({ id: userId });
    expect(await f.identity.authenticate(await forge())).toMatchObject({ id: userId });
  });

  it('alg none', async () => {
    const [, p] = parts(good.access_token);
    expect(await f.identity.authenticate(`${b64({ alg: 'none', typ: 'at+jwt' })}.${p}.`)).toBeNull();
    expect(await f.identity.authenticate(`${b64({ alg: 'none', kid: f.keys.current().kid, typ: 'at+jwt' })}.${p}.`)).toBeNull();
  });

  it('HS256 signed with the public key', async () => {
    const [, p] = parts(good.access_token);
    const pub = f.keys.current().publicKey;
    for (const secret of [pub.export({ format: 'pem', type: 'spki' }), pub.export({ format: 'der', type: 'spki' }), Buffer.from(String(pub.export({ format: 'jwk' }).x), 'base64url')]) {
      const h = b64({ alg: 'HS256', kid: f.keys.current().kid, typ: 'at+jwt' });
      const sig = createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
      expect(await f.identity.authenticate(`${h}.${p}.${sig}`)).toBeNull();
    }
  });

  it('expired, and not yet valid', async () => {
    const now = Math.floor(f.clock().getTime() / 1000);
    expect(await f.identity.authenticate(await forge({ iat: now - 2000, nbf: now - 2000, exp: now - 60 }))).toBeNull();
    expect(await f.identity.authenticate(await forge({ iat: now + 600, nbf: now + 600, exp: now + 1500 }))).toBeNull();
    expect(await f.identity.authenticate(await forge({ nbf: now + 600 }))).toBeNull();
    f.clock.advance(16 * 60_000);
    expect(await f.identity.authenticate(good.access_token)).toBeNull();
    f.clock.advance(-16 * 60_000);
    expect(await f.identity.authenticate(good.access_token)).not.toBeNull();
  });

  it('wrong iss or aud, wrong typ, missing claims', async () => {
    expect(await f.identity.authenticate(await forge({ iss: 'https://evil.example' }))).toBeNull();
    expect(await f.identity.authenticate(await forge({ aud: 'another-service' }))).toBeNull();
    expect(await f.identity.authenticate(await forge({}, { typ: 'JWT' }))).toBeNull();
    expect(await f.identity.authenticate(await forge({ sid: undefined }))).toBeNull();
    expect(await f.identity.authenticate(await forge({ exp: undefined }))).toBeNull();
  });

  it('bad signature, tampered payload, unknown kid, a stranger\'s key', async () => {
    const [h, p, s] = parts(good.access_token);
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(await f.identity.authenticate(`${h}.${p}.${flipped}`)).toBeNull();
    const tampered = b64({ ...payloadOf(good.access_token), roles: ['admin'] });
    expect(await f.identity.authenticate(`${h}.${tampered}.${s}`)).toBeNull();
    expect(await f.identity.authenticate(await forge({}, { kid: 'warden-jwt:99' }))).toBeNull();
    expect(await f.identity.authenticate(await forge({}, { kid: 'other-key:1' }))).toBeNull();
    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect(await f.identity.authenticate(await forge({ roles: ['admin'] }, {}, stranger))).toBeNull();
  });

  it('malformed input', async () => {
    for (const t of ['', 'abc', 'a.b.c', '..', 'eyJ.eyJ.', 'x'.repeat(5000), `${parts(good.access_token)[0]}.%%%.${parts(good.access_token)[2]}`]) {
      expect(await f.identity.authenticate(t)).toBeNull();
    }
  });

  it('revoked session and disabled user', async () => {
    const second = (await f.identity.login('eve.target@example.com', 'correct horse battery', {})) as typeof good;
    expect(await f.identity.authenticate(second.access_token)).not.toBeNull();
    await f.identity.logout({ refresh_token: second.refresh_token }, SYSTEM);
    expect(await f.identity.authenticate(second.access_token)).toBeNull();
    await f.identity.updateUser(userId, { status: 'disabled' }, SYSTEM);
    expect(await f.identity.authenticate(good.access_token)).toBeNull();
    await expect(f.identity.refresh(good.refresh_token, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    await expect(f.identity.login('eve.target@example.com', 'correct horse battery', {})).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('a revocation by another process is seen on the next poll', async () => {
    const other = identityFixture(db);
    await other.identity.createUser({ email: 'multi@example.com', password: 'correct horse battery' }, SYSTEM);
    const t = (await other.identity.login('multi@example.com', 'correct horse battery', {})) as typeof good;
    // A second process: same database, same keys and clock, its own revocation cache.
    const { createIdentity } = await import('./index.js');
    const peer = createIdentity({ db, clock: other.clock, config: other.config, keys: other.keys, audit: async () => undefined, emit: async () => undefined });
    expect(await peer.authenticate(t.access_token)).not.toBeNull();
    await other.identity.logout({ refresh_token: t.refresh_token }, SYSTEM);
    await peer.syncRevocations();
    expect(await peer.authenticate(t.access_token)).toBeNull();
  });

  it('key rotation: old tokens stay valid while their key is published; JWKS lists every live version', async () => {
    const g = identityFixture(db);
    await g.identity.createUser({ email: 'rot@example.com', password: 'correct horse battery' }, SYSTEM);
    const before = (await g.identity.login('rot@example.com', 'correct horse battery', {})) as typeof good;
    g.keys.rotate();
    await g.identity.jwks(); // reloads the key pair
    const after = (await g.identity.login('rot@example.com', 'correct horse battery', {})) as typeof good;
    expect(JSON.parse(Buffer.from(parts(after.access_token)[0], 'base64url').toString()).kid).toBe('warden-jwt:2');
    expect(await g.identity.authenticate(before.access_token)).not.toBeNull();
    expect((await g.identity.jwks()).keys.map((k) => k.kid)).toEqual(['warden-jwt:1', 'warden-jwt:2']);
    expect((await g.identity.jwks()).keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    g.keys.retire('warden-jwt:1');
    await g.identity.jwks();
    expect(await g.identity.authenticate(before.access_token)).toBeNull();
    expect(await g.identity.authenticate(after.access_token)).not.toBeNull();
  });
});
