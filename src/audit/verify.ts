import { type AuditRecord, chainHash, checkpointMessage, entrySeq } from './chain.js';
import type { ChainScan, Checkpoint, Head } from './store.js';

export type BreakReason = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'truncated' | 'bad_checkpoint';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  head_seq: number;
  head_hash: string;
  checkpoints: number;
  broken_seq?: number;
  reason?: BreakReason;
  detail?: string;
}

export interface VerifySource {
  head: Head;
  checkpoints: Checkpoint[];
  /** Rows with seq > after in order, at most limit. */
  readRange(after: number, limit: number): Promise<AuditRecord[]>;
  /** Whether signature over message is valid for the checkpoint key id. */
  verifySignature(keyId: string, message: string, signatureB64url: string): boolean;
  /** Optional fast path: every link checked where the rows are (the database); see store.scanChain. */
  scan?: () => Promise<ChainScan>;
  /** With scan: stored hashes at seqs, and the last row before a seq. */
  hashesAt?: (seqs: number[]) => Promise<Map<number, string>>;
  rowBefore?: (seq: number) => Promise<{ seq: number; hash: string } | null>;
}

const BATCH = 20_000;

type Fail = (entries: number, seq: number, reason: BreakReason, detail: string) => VerifyResult;

/** Walks the chain from its anchor and checks every link and every signed checkpoint. */
export async function verifyChain(src: VerifySource): Promise<VerifyResult> {
  const { head } = src;
  const cps = src.checkpoints.filter((c) => c.seq > head.anchor_seq);
  const anchorCp = src.checkpoints.find((c) => c.seq === head.anchor_seq);
  const base = { head_seq: head.seq, head_hash: head.hash, checkpoints: src.checkpoints.length };
  const fail: Fail = (entries, seq, reason, detail) => ({ ok: false, entries, ...base, broken_seq: seq, reason, detail });

  for (const cp of src.checkpoints) {
    const msg = checkpointMessage({ seq: cp.seq, hash: cp.hash, time: cp.created_at.toISOString() });
    if (!src.verifySignature(cp.key_id, msg, cp.signature)) return fail(0, cp.seq, 'bad_checkpoint', `checkpoint at seq ${cp.seq} has an invalid signature`);
  }
  if (head.anchor_seq > 0 && (!anchorCp || anchorCp.hash !== head.anchor_hash)) {
    return fail(0, head.anchor_seq, 'bad_checkpoint', 'the retention anchor does not match a signed checkpoint');
  }

  let walked: { last: number; prev: string; entries: number } | VerifyResult;
  if (src.scan && src.hashesAt && src.rowBefore) {
    const s = await src.scan();
    const upTo = s.first_bad_seq ?? Number.MAX_SAFE_INTEGER;
    const stored = await src.hashesAt(cps.filter((c) => c.seq < upTo).map((c) => c.seq));
    for (const cp of cps) {
      if (cp.seq >= upTo) break;
      const h = stored.get(cp.seq);
      if (h !== undefined && h !== cp.hash) {
        return fail(cp.seq - head.anchor_seq - 1, cp.seq, 'edited', `entry ${cp.seq} does not match its signed checkpoint (the chain was rewritten)`);
      }
    }
    if (s.first_bad_seq === null) {
      walked = { last: s.last_seq ?? head.anchor_seq, prev: s.last_hash ?? head.anchor_hash, entries: Number(s.entries) };
    } else {
      // Classify the break with the exact walk, from the last intact row before it.
      const before = await src.rowBefore(s.first_bad_seq);
      const from = before && before.seq > head.anchor_seq ? before : { seq: head.anchor_seq, hash: head.anchor_hash };
      walked = await walk(src, cps, from.seq + 1, from.hash, from.seq - head.anchor_seq, fail);
    }
  } else {
    walked = await walk(src, cps, head.anchor_seq + 1, head.anchor_hash, 0, fail);
  }
  if ('ok' in walked) return walked;

  const { last, prev, entries } = walked;
  const lastCp = cps.length ? cps[cps.length - 1].seq : head.anchor_seq;
  if (last < lastCp) return fail(entries, last + 1, 'truncated', `the chain ends at ${last} but a signed checkpoint covers ${lastCp}`);
  if (last < head.seq) return fail(entries, last + 1, 'truncated', `the chain ends at ${last} but the head is at ${head.seq}`);
  if (last > head.seq) return fail(entries, head.seq + 1, 'inserted', `entries after the head (${head.seq}) were added outside Warden`);
  if (prev !== head.hash) return fail(entries, last, 'edited', 'the last entry does not match the recorded head');
  return { ok: true, entries, ...base };
}

/** The exact walk in this process: every row read, every link and checkpoint checked. */
async function walk(src: VerifySource, cps: Checkpoint[], firstSeq: number, prevHash: string, entriesBefore: number, fail: Fail):
  Promise<{ last: number; prev: string; entries: number } | VerifyResult> {
  let prev = prevHash;
  let expected = firstSeq;
  let entries = entriesBefore;
  let cpIdx = 0;
  // Reads the next batch while this one is hashed.
  let pending = src.readRange(expected - 1, BATCH);
  pending.catch(() => undefined); // awaited below; never an unhandled rejection on early return
  for (;;) {
    const rows = await pending;
    if (rows.length === 0) break;
    pending = src.readRange(rows[rows.length - 1].seq, BATCH);
    pending.catch(() => undefined);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.seq !== expected) return fail(entries, expected, r.seq > expected ? 'deleted' : 'inserted', `entry ${expected} is missing`);
      const claimed = entrySeq(r.entry);
      if (claimed !== r.seq) {
        if (claimed !== null && claimed < r.seq) return fail(entries, claimed, 'inserted', `an entry was inserted at ${claimed}: the entry stored at ${r.seq} was written as ${claimed}`);
        if (claimed !== null) return fail(entries, r.seq, 'reordered', `entry ${r.seq} was written as ${claimed}`);
        return fail(entries, r.seq, 'edited', `entry ${r.seq} is not a well-formed entry`);
      }
      if (chainHash(r.entry, prev) !== r.hash) {
        const next = i + 1 < rows.length ? rows[i + 1] : null;
        if (next && entrySeq(next.entry) === r.seq) {
          return fail(entries, r.seq, 'inserted', `entry ${r.seq} was inserted (the entry after it was written as ${r.seq})`);
        }
        return fail(entries, r.seq, 'edited', `entry ${r.seq} does not match its hash`);
      }
      while (cpIdx < cps.length && cps[cpIdx].seq < r.seq) cpIdx++;
      if (cpIdx < cps.length && cps[cpIdx].seq === r.seq && cps[cpIdx].hash !== r.hash) {
        return fail(entries, r.seq, 'edited', `entry ${r.seq} does not match its signed checkpoint (the chain was rewritten)`);
      }
      prev = r.hash;
      expected++;
      entries++;
    }
  }
  return { last: expected - 1, prev, entries };
}
