import { generateKeyPairSync } from 'node:crypto';
import type { AuditEntryInput } from '../audit/index.js';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import type { IdentityConfig } from './config.js';
import { testIdentityConfig } from './config.js';
import type { MfaPort } from './context.js';
import { createIdentity } from './index.js';
import type { SigningKeyPairLike } from './jwt.js';

/** A node:crypto stand-in for the keyring's signing keys, with rotation. */
export function fakeSigningKeys(name = 'warden-jwt') {
  const versions: SigningKeyPairLike['versions'] = [];
  let privateKey = generateKeyPairSync('ed25519').privateKey;
  const add = () => {
    const kp = generateKeyPairSync('ed25519');
    privateKey = kp.privateKey;
    versions.push({ kid: `${name}:${versions.length + 1}`, publicKey: kp.publicKey, retired: false });
  };
  add();
  return {
    async signingKeyPair(): Promise<SigningKeyPairLike> {
      const cur = versions[versions.length - 1];
      return { kid: cur.kid, privateKey, publicKey: cur.publicKey, versions: [...versions] };
    },
    rotate: add,
    retire(kid: string) { for (const v of versions) if (v.kid === kid) v.retired = true; },
    current: () => ({ kid: versions[versions.length - 1].kid, privateKey, publicKey: versions[versions.length - 1].publicKey }),
  };
}

/** Identity wired for tests: frozen clock, cheap hashing, recorded audit entries and events. */
export function identityFixture(db: Db, over: Partial<IdentityConfig> = {}, mfa?: MfaPort) {
  const clock = manualClock('2026-01-01T00:00:00Z');
  const audits: AuditEntryInput[] = [];
  const events: SecurityEvent[] = [];
  const keys = fakeSigningKeys();
  const config = testIdentityConfig(over);
  const identity = createIdentity({
    db, clock, config, keys,
    audit: async (_tx, e) => { audits.push(e); },
    emit: async (_tx, e) => { events.push(e); },
    mfa,
  });
  return { clock, audits, events, keys, config, identity };
}

export const SYSTEM = { type: 'system' as const, id: 'test' };
