import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntryInput } from '../audit/index.js';
import { manualClock } from '../clock.js';
import type { Db } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import { createKeys, type KeysDeps } from './index.js';

/** Test wiring for the keys capability: a frozen clock, recorded audit entries, events and log lines. */
export function keysFixture(db: Db, over: Partial<KeysDeps['config']> = {}) {
  const clock = manualClock('2026-01-01T00:00:00Z');
  const audits: AuditEntryInput[] = [];
  const events: SecurityEvent[] = [];
  const logs: Array<{ level: string; o: object; m: string }> = [];
  const config = { masterKey: randomBytes(32).toString('base64'), masterKeyFile: null, dataDir: mkdtempSync(join(tmpdir(), 'warden-keys-')), embedded: true, rotationDays: 90, ...over };
  const deps = (cfg = config): KeysDeps => ({
    db, clock, config: cfg,
    audit: async (_tx, e) => { audits.push(e); },
    emit: async (_tx, e) => { events.push(e); },
    log: { info: (o, m) => logs.push({ level: 'info', o, m }), warn: (o, m) => logs.push({ level: 'warn', o, m }) },
  });
  return { clock, audits, events, logs, config, deps, start: (cfg = config) => createKeys(deps(cfg)) };
}
