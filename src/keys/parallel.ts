import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { keyError } from './errors.js';
import { TAG_LEN } from './stream.js';

/**
 * Segment-parallel sealing and opening of a regular file. In the STREAM construction every
 * segment has a fixed size, so segment i's place in the input and in the output is known in
 * advance: plaintext at i × S, ciphertext at header + i × (S + 16). Worker threads claim segment
 * indexes from a shared counter and each reads, seals or opens, and writes its segments with
 * positional I/O. The bytes written are exactly those of the sequential path (same nonces, same
 * key, same flags), so either path opens what the other sealed, and every check stays: the
 * counter in the nonce catches reordering, the last-segment flag truncation and appending.
 */
const WORKER_URL = new URL('./file-worker.mjs', import.meta.url);
const MAX_SEGMENTS = 0x100000000;

/** Worker threads for a file of `segments` segments: at most `threads`, and no more than one per two segments. */
export function workerCount(segments: number, threads = defaultThreads()): number {
  return Math.max(1, Math.min(threads, Math.ceil(segments / 2)));
}

export function defaultThreads(): number {
  return Math.min(availableParallelism(), 4);
}

export interface SegmentJob {
  mode: 'seal' | 'open';
  key: KeyObject;
  prefix: Buffer;
  inFd: number;
  outFd: number;
  /** Where the segments start in the input and in the output. */
  inStart: number;
  outStart: number;
  segmentSize: number;
  /** Bytes after inStart: plaintext for seal, sealed segments for open. */
  inBytes: number;
  threads: number;
}

/** Segment count and the input length of the last segment (plaintext, or sealed with its tag). */
export function segmentLayout(mode: 'seal' | 'open', inBytes: number, segmentSize: number): { count: number; lastLen: number } {
  if (mode === 'seal') {
    // As the sequential path: full segments while more than one segment remains, then the rest
    // (possibly a full segment, possibly empty) flagged last.
    const count = inBytes === 0 ? 1 : Math.ceil(inBytes / segmentSize);
    if (count > MAX_SEGMENTS) throw keyError('FILE_FORMAT_INVALID', 'file too large for this segment size');
    return { count, lastLen: inBytes - (count - 1) * segmentSize };
  }
  const sealed = segmentSize + TAG_LEN;
  const count = Math.max(1, Math.ceil(inBytes / sealed));
  const lastLen = inBytes - (count - 1) * sealed;
  if (lastLen < TAG_LEN) throw keyError('FILE_AUTH_FAILED', 'the file is truncated');
  if (count > MAX_SEGMENTS) throw keyError('FILE_AUTH_FAILED', 'the file has more segments than its format allows');
  return { count, lastLen };
}

/** Runs the job on worker threads; resolves when every segment is written, rejects on the first failure. */
export async function runSegments(job: SegmentJob): Promise<{ segments: number; workers: number }> {
  const { count, lastLen } = segmentLayout(job.mode, job.inBytes, job.segmentSize);
  const workers = workerCount(count, job.threads);
  const shared = new SharedArrayBuffer(8);
  const data = {
    mode: job.mode, key: job.key, prefix: job.prefix, inFd: job.inFd, outFd: job.outFd,
    inStart: job.inStart, outStart: job.outStart, segmentSize: job.segmentSize, count, lastLen, shared,
  };
  let failure: Error | undefined;
  const fail = (e: Error) => { failure ??= e; Atomics.store(new Int32Array(shared), 1, 1); };
  await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve) => {
    // No inherited --import hooks: the worker is plain JavaScript and starts bare.
    const w = new Worker(WORKER_URL, { workerData: data, execArgv: [] });
    w.on('message', (m: { error: 'auth'; segment: number } | { error: 'io'; message: string; code?: string }) => {
      if (m.error === 'auth') {
        fail(keyError('FILE_AUTH_FAILED',
          `segment ${m.segment} failed authentication: wrong key or password, or the file was altered, truncated, reordered or extended`, { segment: m.segment }));
      } else {
        fail(keyError('FILE_IO_FAILED', `file ${job.mode === 'seal' ? 'encryption' : 'decryption'} failed: ${m.message}`, { code: m.code }));
      }
    });
    w.on('error', (e) => fail(keyError('FILE_IO_FAILED', `file worker failed: ${e.message}`, {}, e)));
    w.on('exit', (code) => {
      if (code !== 0) fail(keyError('FILE_IO_FAILED', `file worker exited with code ${code}`));
      resolve();
    });
  })));
  if (failure) throw failure;
  return { segments: count, workers };
}
