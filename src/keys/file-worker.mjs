// Seals or opens the segments of a Warden encrypted file at computed offsets (see parallel.ts).
// Plain JavaScript so a worker starts without the TypeScript loader. Each worker claims the
// next segment index from a shared counter, reads it with a positional read into one reused
// buffer, runs AES-256-GCM over it in 256 KiB pieces, and writes the result with one positional
// writev. An opened segment is written only after its tag verified.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readSync, writevSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';

const TAG = 16;
const PIECE = 256 * 1024;
const { mode, key, prefix, inFd, outFd, inStart, outStart, segmentSize, count, lastLen, shared } = workerData;
// [0] next segment to claim, [1] set to 1 by whoever fails first: everyone stops.
const state = new Int32Array(shared);

// Every cipher output is a fresh external buffer that V8 frees only at its next young-generation
// GC, which external bytes alone trigger at about 32 MB per isolate. A minor GC every few
// segments keeps each worker's garbage to a few MiB (memory stays flat whatever the file size).
// The flag is switched off again at once, so no other context sees `gc`.
function exposedGc() {
  if (typeof globalThis.gc === 'function') return globalThis.gc; // node --expose-gc: leave the flag alone
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc');
  } catch {
    return null; // without it memory is still bounded, only higher
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
const gc = exposedGc();
const minorGc = typeof gc === 'function' ? () => gc({ type: 'minor' }) : null;

// glibc hands freed heap memory back to the kernel once more than its trim threshold lies free
// at the top of a heap: 128 KiB by default, twice the size of the largest mmap'd block freed so
// far (up to 32 MiB; see "dynamic mmap threshold" in mallopt(3)). Each minor GC frees about
// 4 MiB of cipher output at once, so without this the next segments fault the same memory back
// in page by page (about 25,000 page faults per GiB). Freeing one 4 MiB block here raises the
// thresholds to 4 MiB (mmap) and 8 MiB (trim), so that memory is reused instead; they are
// process-wide, as after any large Buffer freed anywhere. Other allocators ignore it.
if (gc) {
  let block = Buffer.allocUnsafeSlow(4 * 1024 * 1024);
  block[0] = 1;
  block = null;
  gc();
}

const nonce = Buffer.alloc(12);
nonce.set(prefix.subarray(0, 7), 0); // a Buffer arrives as a plain Uint8Array
const sealed = segmentSize + TAG;
const buf = Buffer.allocUnsafe(sealed);

function readFully(length, position) {
  let got = 0;
  while (got < length) {
    const n = readSync(inFd, buf, got, length - got, position + got);
    if (n === 0) throw Object.assign(new Error('the input file ended early (was it changed while being read?)'), { code: 'EIO_SHORT' });
    got += n;
  }
}

function writeFully(parts, position) {
  let rest = parts;
  while (rest.length) {
    let written = writevSync(outFd, rest, position);
    position += written;
    const next = [];
    for (const p of rest) {
      if (written >= p.length) { written -= p.length; continue; }
      next.push(written ? p.subarray(written) : p);
      written = 0;
    }
    rest = next;
  }
}

let done = 0;
try {
  for (;;) {
    if (Atomics.load(state, 1)) break;
    const i = Atomics.add(state, 0, 1);
    if (i >= count) break;
    const last = i === count - 1;
    nonce.writeUInt32BE(i, 7);
    nonce[11] = last ? 1 : 0;
    const parts = [];
    if (mode === 'seal') {
      const len = last ? lastLen : segmentSize;
      readFully(len, inStart + i * segmentSize);
      const c = createCipheriv('aes-256-gcm', key, nonce);
      for (let o = 0; o < len; o += PIECE) parts.push(c.update(buf.subarray(o, Math.min(len, o + PIECE))));
      c.final();
      parts.push(c.getAuthTag());
      writeFully(parts, outStart + i * sealed);
    } else {
      const len = last ? lastLen : sealed;
      readFully(len, inStart + i * sealed);
      const body = len - TAG;
      try {
        const d = createDecipheriv('aes-256-gcm', key, nonce);
        d.setAuthTag(buf.subarray(body, len));
        for (let o = 0; o < body; o += PIECE) parts.push(d.update(buf.subarray(o, Math.min(body, o + PIECE))));
        d.final();
      } catch {
        Atomics.store(state, 1, 1);
        parentPort.postMessage({ error: 'auth', segment: i });
        break;
      }
      writeFully(parts, outStart + i * segmentSize);
    }
    if (minorGc && ++done % 4 === 0) minorGc();
  }
} catch (e) {
  Atomics.store(state, 1, 1);
  parentPort.postMessage({ error: 'io', message: e instanceof Error ? e.message : String(e), code: e && e.code });
}
