import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import { createEvents } from '../events/index.js';
import { createDetect } from './index.js';
import type { AuditPort, SecretsPort } from './ports.js';

/** Test doubles shared by detect's tests: an audit that records, secrets over AES-256-GCM bound to their context. */
export function fakeAudit() {
  const entries: Array<Parameters<AuditPort['append']>[1]> = [];
  const audit: AuditPort = { async append(_tx, e) { entries.push(e); } };
  return { audit, entries };
}

export function fakeSecrets(): SecretsPort & { stored: string[] } {
  const key = randomBytes(32);
  const stored: string[] = [];
  return {
    stored,
    async encrypt(context, plaintext) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
      const out = Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]).toString('base64');
      stored.push(out);
      return `t1:${out}`;
    },
    async decrypt(context, ciphertext) {
      const b = Buffer.from(ciphertext.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12)).setAAD(Buffer.from(context));
      d.setAuthTag(b.subarray(b.length - 16));
      return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
    },
  };
}

/** One "process": its own events bus and detect instance over a shared database (snapshots every 2 batches). */
export function openProcess(db: Db, clock = manualClock('2026-03-01T13:00:00Z'), snapshotBatches = 2) {
  const events = createEvents({ db, clock });
  const { audit, entries } = fakeAudit();
  const secrets = fakeSecrets();
  const detect = createDetect({ db, events, audit, clock, secrets, config: { batchSize: 50, snapshotBatches, snapshotMs: 3_600_000 } });
  return { events, detect, audit: entries, clock, secrets };
}
