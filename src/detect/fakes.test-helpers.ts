import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { manualClock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
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

/**
 * Drains until the detect consumer has handled every stored event. A plain drain() can stop early on a shared
 * PostgreSQL: events become deliverable only once no older transaction is running anywhere on the server.
 */
export async function settle(db: Queryable, drain: () => Promise<void>): Promise<void> {
  for (let n = 0; n < 600; n++) {
    await drain();
    const r = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM security_events s WHERE (s.tx_id, s.id) >
         COALESCE((SELECT (last_tx_id, last_id) FROM event_cursors WHERE consumer = 'detect'), ('0'::xid8, 0::bigint))`);
    if (Number(r.rows[0].n) === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the detect consumer did not catch up');
}

/** One "process": its own events bus and detect instance over a shared database (snapshots every 2 batches). */
export function openProcess(db: Db, clock = manualClock('2026-03-01T13:00:00Z'), snapshotBatches = 2) {
  // A consumer failure would only show as a missing alert: print it.
  const events = createEvents({ db, clock, log: { warn: (o: { err?: unknown }, m: string) => console.error(`detect test: ${m}`, o.err) } });
  const { audit, entries } = fakeAudit();
  const secrets = fakeSecrets();
  const detect = createDetect({ db, events, audit, clock, secrets, config: { batchSize: 50, snapshotBatches, snapshotMs: 3_600_000 } });
  // events.drain() here waits until everything stored is handled (see settle).
  return { events: { ...events, drain: () => settle(db, events.drain) }, detect, audit: entries, clock, secrets };
}
