/**
 * Crypto benchmark: field encryption ops/s (one at a time and in batches of 1,000, 100-byte
 * values), streaming file encryption MB/s on a 1 GiB file with peak RSS, and OpenSSL's own
 * AES-256-GCM rate at 16 KiB blocks measured in the same run as the ceiling.
 * Prints one JSON line. WARDEN_BENCH_FILE_MB changes the file size (default 1024).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { systemClock } from '../src/clock.js';
import { migrate, openPglite } from '../src/db/index.js';
import { createKeys, decryptFile, encryptFile, type FileKeyring } from '../src/keys/index.js';
import { headerFor, openValue, parseCiphertext, sealValue } from '../src/keys/format.js';

const MB = 1e6;
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const rss = () => process.memoryUsage.rss();

/** `openssl speed -evp aes-256-gcm`, the 16384-byte column, in MB/s (10^6 bytes). */
export async function opensslRate(seconds = 1): Promise<{ MBps: number; version: string } | { error: string }> {
  try {
    const run = promisify(execFile);
    const { stdout } = await run('openssl', ['speed', '-evp', 'aes-256-gcm', '-seconds', String(seconds)], { timeout: 120_000 });
    const version = (await run('openssl', ['version'])).stdout.trim();
    const lines = stdout.split('\n');
    const head = lines.find((l) => /^type\s/.test(l));
    const row = lines.find((l) => /^AES-256-GCM\s/i.test(l));
    if (!head || !row) return { error: 'unexpected openssl output' };
    const cols = head.replace(/^type\s+/, '').split(/\s{2,}|\s(?=\d+ bytes)/).map((s) => s.trim()).filter(Boolean);
    const idx = cols.findIndex((c) => c === '16384 bytes');
    const vals = row.replace(/^AES-256-GCM\s+/i, '').trim().split(/\s+/);
    if (idx < 0 || !vals[idx]) return { error: 'no 16384-byte column in openssl output' };
    return { MBps: round((parseFloat(vals[idx]) * 1000) / MB, 1), version };
  } catch (e) {
    return { error: `openssl speed failed: ${(e as Error).message}` };
  }
}

function timeLoop(seconds: number) {
  const start = performance.now();
  return { done: () => performance.now() - start > seconds * 1000, elapsed: () => (performance.now() - start) / 1000 };
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

/** Samples RSS every 20 ms while fn runs; returns wall and CPU seconds and the peak RSS. */
async function measure(fn: () => Promise<void>): Promise<{ wall_s: number; cpu_s: number; peak_rss_mb: number }> {
  let peak = rss();
  const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 20);
  const t = performance.now();
  const cu = process.cpuUsage();
  try { await fn(); } finally { clearInterval(timer); }
  const c = process.cpuUsage(cu);
  peak = Math.max(peak, rss());
  return { wall_s: (performance.now() - t) / 1000, cpu_s: (c.user + c.system) / 1e6, peak_rss_mb: round(peak / 2 ** 20, 1) };
}

/**
 * The file half runs in a child process that holds no database, so its RSS is the streaming
 * path's own. The per-file data key is wrapped by an in-memory AES key there (the keyring
 * contributes one 32-byte unwrap per file; the segment code path is the same).
 */
async function fileChild(dir: string, plain: string): Promise<Record<string, unknown>> {
  const k = createSecretKey(randomBytes(32));
  const keys: FileKeyring = {
    encrypt: async (name, pt, ctx) => sealValue(k, headerFor(name, 1), pt, ctx),
    decrypt: async (_name, ct, ctx) => openValue(k, parseCiphertext(ct), ctx),
  };
  const size = statSync(plain).size;
  const rssIdle = round(rss() / 2 ** 20, 1);
  const enc = await measure(() => encryptFile(plain, join(dir, 'file.enc'), { kind: 'key', keys, name: 'bench-files' }));
  const dec = await measure(() => decryptFile(join(dir, 'file.enc'), join(dir, 'file.out'), { kind: 'key', keys }));
  const maxRss = round(process.resourceUsage().maxRSS / 1024, 1);
  const intact = (await sha256(join(dir, 'file.out'))) === (await sha256(plain));
  return { size, rss_idle_mb: rssIdle, enc, dec, intact, max_rss_mb: maxRss };
}

function runChild(dir: string, plain: string): Promise<Record<string, unknown>> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolveP, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', self, '--file-child', dir, plain], { cwd: join(dirname(self), '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => { code === 0 ? resolveP(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`file bench child exited ${code}`)); });
  });
}

export async function run(): Promise<Record<string, unknown>> {
  const fileMb = Number(process.env.WARDEN_BENCH_FILE_MB ?? 1024);
  const db = await openPglite();
  await migrate(db);
  const dir = mkdtempSync(join(tmpdir(), 'warden-bench-crypto-'));
  try {
    const keys = await createKeys({
      db, clock: systemClock,
      config: { masterKey: randomBytes(32).toString('base64'), masterKeyFile: null, dataDir: dir, embedded: true, rotationDays: 90 },
      audit: async () => undefined, log: { info: () => undefined, warn: () => undefined },
    });
    const value = 'x'.repeat(60) + 'someone.with.a.long.name@example.com'.padEnd(40, '.');
    const ctx = (i: number) => `users.email.${i % 100_000}`;

    // Field encryption, one call at a time.
    for (let i = 0; i < 50_000; i++) await keys.encryptField(ctx(i), value); // warm-up, creates the field key
    let n = 0;
    let t = timeLoop(2);
    while (!t.done()) { for (let i = 0; i < 1000; i++) await keys.encryptField(ctx(n + i), value); n += 1000; }
    const encOps = n / t.elapsed();
    const cts: string[] = [];
    for (let i = 0; i < 10_000; i++) cts.push(await keys.encryptField(ctx(i), value));
    n = 0;
    t = timeLoop(2);
    while (!t.done()) { for (let i = 0; i < 1000; i++) await keys.decryptField(ctx(i % 10_000), cts[i % 10_000]); n += 1000; }
    const decOps = n / t.elapsed();

    // Batches of 1,000.
    const encItems = Array.from({ length: 1000 }, (_, i) => ({ context: ctx(i), plaintext: value }));
    const decItems = cts.slice(0, 1000).map((c, i) => ({ context: ctx(i), ciphertext: c }));
    n = 0;
    t = timeLoop(2);
    while (!t.done()) { await keys.encryptFieldBatch(encItems); n += 1000; }
    const encBatchOps = n / t.elapsed();
    n = 0;
    t = timeLoop(2);
    while (!t.done()) { await keys.decryptFieldBatch(decItems); n += 1000; }
    const decBatchOps = n / t.elapsed();

    // OpenSSL's ceiling, measured now, in the same run.
    const openssl = await opensslRate(1);

    // A file of fileMb MiB of random data, in a RAM-backed temp dir where there is one (the
    // figure is then the crypto and streaming, not this machine's disk).
    const fdir = mkdtempSync(join(process.env.WARDEN_BENCH_TMP ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'warden-bench-file-'));
    let child: Record<string, unknown>;
    try {
      const plain = join(fdir, 'plain.bin');
      const fd = openSync(plain, 'w');
      const block = randomBytes(1 << 20);
      for (let i = 0; i < fileMb; i++) { block[0] = i & 0xff; writeSync(fd, block); }
      closeSync(fd);
      child = await runChild(fdir, plain);
    } finally {
      rmSync(fdir, { recursive: true, force: true });
    }
    const enc = child.enc as { wall_s: number; cpu_s: number; peak_rss_mb: number };
    const dec = child.dec as { wall_s: number; cpu_s: number; peak_rss_mb: number };
    const size = child.size as number;
    const rate = (s: number) => round(size / MB / s, 1);
    const ceiling = 'MBps' in openssl ? openssl.MBps : null;
    const ratio = (s: number) => (ceiling ? round(size / MB / s / ceiling, 3) : null);
    return {
      bench: 'crypto',
      field_encrypt_ops: round(encOps), field_decrypt_ops: round(decOps),
      field_encrypt_batch1000_ops: round(encBatchOps), field_decrypt_batch1000_ops: round(decBatchOps),
      value_bytes: Buffer.byteLength(value),
      file_bytes: size, segment_bytes: 1 << 20, file_dir: dirname(fdir),
      file_encrypt_MBps: rate(enc.wall_s), file_decrypt_MBps: rate(dec.wall_s),
      file_encrypt_cpu_MBps: rate(enc.cpu_s), file_decrypt_cpu_MBps: rate(dec.cpu_s), file_roundtrip_intact: child.intact,
      file_encrypt_peak_rss_mb: enc.peak_rss_mb, file_decrypt_peak_rss_mb: dec.peak_rss_mb, file_process_max_rss_mb: child.max_rss_mb,
      file_process_idle_rss_mb: child.rss_idle_mb, field_process_rss_mb: round(rss() / 2 ** 20, 1),
      openssl_aes256gcm_16k_MBps: ceiling, openssl: 'error' in openssl ? openssl.error : openssl.version,
      openssl_note: 'openssl speed divides by CPU user time; the *_cpu_MBps figures divide by process CPU time (user+system) likewise',
      file_encrypt_vs_openssl: ratio(enc.wall_s), file_decrypt_vs_openssl: ratio(dec.wall_s),
      file_encrypt_cpu_vs_openssl: ratio(enc.cpu_s), file_decrypt_cpu_vs_openssl: ratio(dec.cpu_s),
      targets: { field_encrypt_ops: 150_000, file_vs_openssl: 0.5, peak_rss_mb: 150 },
      node: process.version,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--file-child') {
  fileChild(process.argv[3], process.argv[4]).then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.error(e); process.exit(1); });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.error(e); process.exit(1); });
}
