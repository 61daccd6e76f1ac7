// One Argon2 worker thread of identity's hash pool (hash-pool.ts): jobs arrive as messages and
// run one after another, synchronously, so the next starts the moment the last ends, whatever
// the main thread's event loop is doing. Plain JavaScript: a worker needs no TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { hashRawSync, hashSync } from '@node-rs/argon2';

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
