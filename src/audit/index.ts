import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import { type AuditBody, type AuditEntryInput, type AuditRecord, canonicalEntry, chainHash, checkpointMessage } from './chain.js';
import { auditError } from './errors.js';
import { redact } from './redact.js';
import * as store from './store.js';
import { verifyChain, type VerifyResult } from './verify.js';

export type { Actor, AuditBody, AuditEntryInput, AuditRecord } from './chain.js';
export type { VerifyResult } from './verify.js';
export type { AuditFilter } from './store.js';
export { redact, redactString, isSecretKey, REDACTED } from './redact.js';
export { canonicalEntry, canonicalJson, chainHash } from './chain.js';

/** Signs checkpoints (the keys capability provides it, from an Ed25519 keyring key). */
export interface AuditSigner {
  keyId(): string;
  sign(message: string): string;
  verify(keyId: string, message: string, signature: string): boolean;
  publicKeys(): Array<{ key_id: string; algorithm: 'Ed25519'; public_key_pem: string }>;
}

export interface AuditDeps {
  db: Db;
  signer: AuditSigner;
  clock: Clock;
  config: { checkpointEvery: number; checkpointSeconds: number; retentionDays: number };
  /** Reports a broken chain as a security event. */
  emit?: (tx: Queryable, e: SecurityEvent) => Promise<void>;
}

export type Audit = ReturnType<typeof createAudit>;

export function createAudit(deps: AuditDeps) {
  const { db, signer, clock, config } = deps;
  let timer: NodeJS.Timeout | null = null;

  function toBody(e: AuditEntryInput, seq: number): AuditBody {
    return {
      seq,
      occurred_at: (e.occurred_at ?? clock()).toISOString(),
      actor: { type: e.actor.type, id: e.actor.id ?? null, ip: e.actor.ip ?? null, user_agent: e.actor.user_agent ? e.actor.user_agent.slice(0, 512) : null },
      action: e.action,
      target: e.target ? { type: e.target.type, id: e.target.id ?? null } : null,
      outcome: e.outcome,
      details: redact(e.details ?? {}) as Record<string, unknown>,
    };
  }

  async function checkpointLocked(tx: Queryable, seq: number, hash: string): Promise<void> {
    const created_at = new Date(clock().getTime());
    const signature = signer.sign(checkpointMessage({ seq, hash, time: created_at.toISOString() }));
    await store.insertCheckpoint(tx, { seq, hash, created_at, key_id: signer.keyId(), signature });
  }

  /** Appends entries inside the caller's transaction; returns their seqs. */
  async function append(tx: Queryable, entry: AuditEntryInput | AuditEntryInput[]): Promise<number[]> {
    const list = Array.isArray(entry) ? entry : [entry];
    if (list.length === 0) return [];
    const head = await store.reserve(tx, list.length);
    let prev = head.hash;
    let seq = head.seq;
    const recs: AuditRecord[] = list.map((e) => {
      const entry = canonicalEntry(toBody(e, ++seq));
      prev = chainHash(entry, prev);
      return { seq, entry, hash: prev };
    });
    for (let i = 0; i < recs.length; i += 500) {
      const part = recs.slice(i, i + 500);
      await store.insertRecords(tx, part, part[part.length - 1].hash);
    }
    if (seq - head.last_checkpoint_seq >= config.checkpointEvery) await checkpointLocked(tx, seq, prev);
    return recs.map((r) => r.seq);
  }

  /** Appends in a transaction of its own (for actions that change nothing else). */
  function record(entry: AuditEntryInput | AuditEntryInput[]): Promise<number[]> {
    return db.tx((tx) => append(tx, entry));
  }

  /** Signs a checkpoint at the head now if anything was appended since the last one. */
  async function checkpoint(): Promise<number | null> {
    return db.tx(async (tx) => {
      const head = await store.lockHead(tx);
      if (head.seq === 0 || head.seq === head.last_checkpoint_seq) return null;
      await checkpointLocked(tx, head.seq, head.hash);
      return head.seq;
    });
  }

  /**
   * Verifies the chain. By default every link is checked inside the database in one pass and
   * only a break is walked here to classify it; `{ exact: true }` reads and hashes every row in
   * this process instead (what an auditor's offline check does).
   */
  async function verify(opts: { exact?: boolean } = {}): Promise<VerifyResult> {
    const head = await store.readHead(db);
    const fast = opts.exact ? {} : {
      scan: () => store.scanChain(db, head.anchor_seq, head.anchor_hash),
      hashesAt: (seqs: number[]) => store.hashesAt(db, seqs),
      rowBefore: (seq: number) => store.rowBefore(db, seq),
    };
    const result = await verifyChain({
      head,
      checkpoints: await store.listCheckpoints(db),
      readRange: (after, limit) => store.readRange(db, after, limit),
      verifySignature: (kid, msg, sig) => signer.verify(kid, msg, sig),
      ...fast,
    });
    if (!result.ok && deps.emit) {
      const emit = deps.emit;
      await db.tx((tx) => emit(tx, {
        type: 'audit.chain_broken', class_uid: 6003, activity_id: 99, severity_id: 5, status: 'failure',
        time: clock().toISOString(), source: 'warden', message: `audit chain broken at ${result.broken_seq}: ${result.reason}`,
        unmapped: { broken_seq: result.broken_seq, reason: result.reason },
      })).catch(() => undefined);
    }
    return result;
  }

  /** Removes whole ranges older than the retention period, up to the newest checkpoint before the cut. */
  async function prune(): Promise<{ removed: number; anchor_seq: number }> {
    const cutoff = new Date(clock().getTime() - config.retentionDays * 86_400_000);
    return db.tx(async (tx) => {
      const head = await store.lockHead(tx);
      const r = await tx.query<{ seq: number }>('SELECT max(seq) AS seq FROM audit_entries WHERE occurred_at < $1', [cutoff]);
      const limit = r.rows[0]?.seq ?? 0;
      const cps = (await store.listCheckpoints(tx, head.anchor_seq + 1)).filter((c) => c.seq <= limit);
      const anchor = cps[cps.length - 1];
      if (!anchor) return { removed: 0, anchor_seq: head.anchor_seq };
      const removed = await store.pruneTo(tx, anchor);
      await append(tx, { actor: { type: 'system' }, action: 'audit.prune', outcome: 'success',
        details: { removed, anchor_seq: anchor.seq, retention_days: config.retentionDays } });
      return { removed, anchor_seq: anchor.seq };
    });
  }

  async function query(filter: store.AuditFilter, cursor: string | undefined, limit: number) {
    let before: number | null = null;
    if (cursor) {
      if (!/^\d{1,15}$/.test(cursor)) throw auditError('AUDIT_BAD_CURSOR', 'cursor is not one this server gave');
      before = Number(cursor);
    }
    const rows = await store.queryEntries(db, filter, before, limit + 1);
    const page = rows.slice(0, limit).map(present);
    return { entries: page, next_cursor: rows.length > limit ? String(page[page.length - 1].seq) : null };
  }

  /** Yields every matching entry, oldest first, in pages (constant memory). */
  async function* iterate(filter: store.AuditFilter): AsyncGenerator<ReturnType<typeof present>> {
    let after = 0;
    for (;;) {
      const rows = await store.readRange(db, after, 2000);
      if (rows.length === 0) return;
      for (const r of rows) {
        const e = present(r);
        if (matches(e, filter)) yield e;
      }
      after = rows[rows.length - 1].seq;
    }
  }

  function start(): void {
    timer = setInterval(() => { checkpoint().catch(() => undefined); }, config.checkpointSeconds * 1000);
    timer.unref();
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    append, record, checkpoint, verify, prune, query, iterate, start, stop,
    head: () => store.readHead(db),
    publicKeys: () => signer.publicKeys(),
  };
}

function matches(e: AuditBody, f: store.AuditFilter): boolean {
  const t = Date.parse(e.occurred_at);
  if (f.from && t < f.from.getTime()) return false;
  if (f.to && t >= f.to.getTime()) return false;
  if (f.actor && e.actor.id !== f.actor) return false;
  if (f.action && (f.action.endsWith('*') ? !e.action.startsWith(f.action.slice(0, -1)) : e.action !== f.action)) return false;
  if (f.target && e.target?.id !== f.target) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  return true;
}

/** The public shape of an entry: its content plus seq and hash. */
export function present(r: AuditRecord): AuditBody & { hash: string } {
  const body = JSON.parse(r.entry) as AuditBody;
  return { ...body, seq: r.seq, hash: r.hash };
}
