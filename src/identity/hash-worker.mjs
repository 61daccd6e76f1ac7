// One Argon2 worker thread of identity's hash pool (hash-pool.ts): jobs arrive as messages and
// run one after another, synchronously, so the next starts the moment the last ends, whatever
// the main thread's event loop is doing. Plain JavaScript: a worker needs no TypeScript loader.
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { hashRawSync, hashSync } from '@node-rs/argon2';

// `nice` levels below the event loop (WARDEN_ARGON2_NICE, default 10): when the cores are
// contended (the database, other work), the thread that answers every request runs first and
// hashing takes what is left; on an idle core it hashes at full speed. On Linux a priority set
// with pid 0 applies to the calling thread only; elsewhere it may not apply, and nothing
// depends on it.
const nice = Number(workerData?.nice ?? 0);
if (nice > 0) {
  try { setPriority(0, Math.min(19, getPriority(0) + nice)); } catch { /* not permitted or not supported */ }
}

parentPort.on('message', (job) => {
  let reply;
  try {
    reply = job.op === 'hash'
      ? { id: job.id, value: hashSync(job.password, job.options) }
      : { id: job.id, value: new Uint8Array(hashRawSync(job.password, job.options)) };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage(reply);
});
