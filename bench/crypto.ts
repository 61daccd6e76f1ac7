/**
 * Crypto benchmark: field encryption ops/s (one at a time and in batches of 1,000, 100-byte
 * values), streaming file encryption MB/s on a 1 GiB file with peak RSS, and OpenSSL's own
 * AES-256-GCM rate at 16 KiB blocks measured in the same run as the ceiling.
 * Prints one JSON line. WARDEN_BENCH_FILE_MB changes the file size (default 1024),
 * WARDEN_BENCH_FILE_THREADS the most worker threads for the file (default: CPUs, at most 4),
 * WARDEN_BENCH_FILE_REPS the runs of each file figure, best kept (default 2);
 * WARDEN_BENCH_FILE_ONLY=1 skips the field half.
 *
 * Field figures are per call, one awaited call after another (wall), plus the same count over
 * the process CPU time spent (steadier on a shared machine). File figures are wall and CPU for
 * the whole encryptFile / decryptFile call (header, key unwrap, workers, fsync, rename); the
 * CPU figure counts every thread of the process. Each is measured with the default threads and
 * with one thread (the single-core figure). A plain copy of the same file (read + write, no
 * crypto; one thread, and two threads on halves with positional I/O) is measured alongside:
 * what the file system alone costs here, so the per-core ceiling of any file-to-file cipher on
 * this machine is 1 / (1 / copy rate + 1 / OpenSSL's rate), both per CPU-second.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
// Only the file code is imported statically: the file child (this module again) then holds no
// database, so its memory is the file path's own. The field half imports the rest in run().
import { DEFAULT_SEGMENT, decryptFile, encryptFile, type FileKeyring, type FileResult } from '../src/keys/file.js';
import { headerFor, openValue, parseCiphertext, sealValue } from '../src/keys/format.js';

const MB = 1e6;
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const rss = () => process.memoryUsage.rss();

/** `openssl speed -evp aes-256-gcm` on 16384-byte blocks, in MB/s (10^6 bytes). */
export async function opensslRate(seconds = 1): Promise<{ MBps: number; version: string } | { error: string }> {
  try {
    const run = promisify(execFile);
    const { stdout } = await run('openssl', ['speed', '-evp', 'aes-256-gcm', '-bytes', '16384', '-seconds', String(seconds)], { timeout: 120_000 });
    const version = (await run('openssl', ['version'])).stdout.trim();
    const m = /^AES-256-GCM\s+([\d.]+)k\s*$/im.exec(stdout);
    return m ? { MBps: round((parseFloat(m[1]) * 1000) / MB, 1), version } : { error: 'unexpected openssl output' };
  } catch (e) {
    return { error: `openssl speed failed: ${(e as Error).message}` };
  }
}

/**
 * OpenSSL's own file-to-file encryption of the same file, as a second reference: `openssl enc`
 * has no GCM, so AES-256-CTR (GCM's cipher core without GHASH: an upper bound for GCM). Timed by
 * bash's `time` for the child's CPU; one thread.
 */
export async function opensslFileRate(plain: string, out: string): Promise<{ wall_s: number; cpu_s: number } | { error: string }> {
  try {
    const run = promisify(execFile);
    const { stderr } = await run('bash', ['-c', 'TIMEFORMAT="%U %S %R"; time openssl enc -aes-256-ctr -K "$0" -iv "$1" -in "$2" -out "$3"',
      randomBytes(32).toString('hex'), randomBytes(16).toString('hex'), plain, out], { timeout: 300_000 });
    const [u, sys, real] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
    if (![u, sys, real].every(Number.isFinite)) return { error: 'unexpected time output' };
    return { wall_s: real, cpu_s: u + sys };
  } catch (e) {
    return { error: `openssl enc failed: ${(e as Error).message}` };
  } finally {
    rmSync(out, { force: true });
  }
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

type Measured = { wall_s: number; cpu_s: number; peak_rss_mb: number };
const REPS = Math.max(1, Number(process.env.WARDEN_BENCH_FILE_REPS ?? 2));

/**
 * Runs fn REPS times (cleanup after each), sampling RSS every 20 ms; keeps the best wall and the
 * best CPU seconds (on a shared machine the least disturbed run is the closest to the truth)
 * and the highest peak RSS.
 */
async function measure<T>(fn: () => Promise<T>, cleanup: () => void = () => undefined): Promise<Measured & { result: T }> {
  let best: (Measured & { result: T }) | undefined;
  for (let i = 0; i < REPS; i++) {
    let peak = rss();
    const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 20);
    const t = performance.now();
    const cu = process.cpuUsage();
    let result: T;
    try { result = await fn(); } finally { clearInterval(timer); }
    const c = process.cpuUsage(cu);
    const wall = (performance.now() - t) / 1000;
    const cpu = (c.user + c.system) / 1e6;
    peak = round(Math.max(peak, rss()) / 2 ** 20, 1);
    best = { wall_s: Math.min(best?.wall_s ?? wall, wall), cpu_s: Math.min(best?.cpu_s ?? cpu, cpu), peak_rss_mb: Math.max(best?.peak_rss_mb ?? 0, peak), result };
    if (i < REPS - 1) cleanup();
  }
  return best!;
}

/**
 * This process's peak RSS in MiB: VmHWM from /proc where there is one (getrusage's maxrss on
 * Linux carries over the parent's peak across fork and exec, so a child would report its
 * parent's), else maxRSS.
 */
function peakRssMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return round(Number(m[1]) / 1024, 1);
  } catch { /* not Linux */ }
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/** Copies a file with 1 MiB reads and writes and an fsync, no crypto: the file system's own cost. */
async function plainCopy(from: string, to: string): Promise<void> {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'wx', 0o600);
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n; (n = readSync(src, buf, 0, buf.length, null)) > 0;) writeSync(dst, buf, 0, n);
    fsyncSync(dst);
  } finally { closeSync(src); closeSync(dst); }
}

// Two threads copy one half each with positional reads and writes (as the file workers do).
const COPY_HALF = `const { closeSync, fsyncSync, openSync, readSync, writeSync } = require('node:fs');
const { from, to, start, end } = require('node:worker_threads').workerData;
const src = openSync(from, 'r'), dst = openSync(to, 'r+'), buf = Buffer.allocUnsafe(1 << 20);
for (let p = start, n; p < end && (n = readSync(src, buf, 0, Math.min(buf.length, end - p), p)) > 0; p += n) writeSync(dst, buf, 0, n, p);
fsyncSync(dst); closeSync(src); closeSync(dst);`;

async function plainCopy2(from: string, to: string): Promise<void> {
  closeSync(openSync(to, 'wx', 0o600));
  const size = statSync(from).size;
  const half = Math.ceil(size / 2 / (1 << 20)) * (1 << 20);
  await Promise.all([[0, half], [half, size]].map(([start, end]) => new Promise<void>((resolveP, reject) => {
    const w = new Worker(COPY_HALF, { eval: true, workerData: { from, to, start, end }, execArgv: [] });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolveP() : reject(new Error(`copy worker exited ${code}`))));
  })));
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
  const threads = process.env.WARDEN_BENCH_FILE_THREADS ? Number(process.env.WARDEN_BENCH_FILE_THREADS) : undefined;
  const rssIdle = round(rss() / 2 ** 20, 1);
  const [encP, outP, copyP] = ['file.enc', 'file.out', 'file.copy'].map((n) => join(dir, n));
  const rm = (...ps: string[]) => () => { for (const p of ps) rmSync(p, { force: true }); };
  const enc = (t?: number) => measure(() => encryptFile(plain, encP, { kind: 'key', keys, name: 'bench-files' }, { threads: t }), rm(encP));
  const dec = (t?: number) => measure(() => decryptFile(encP, outP, { kind: 'key', keys }, { threads: t }), rm(outP));
  const r: Record<string, unknown> = { size, rss_idle_mb: rssIdle, enc: await enc(threads), dec: await dec(threads) };
  r.intact = (await sha256(outP)) === (await sha256(plain));
  rm(outP, encP)();
  // One thread: the single-core figures (the same worker code, one worker).
  r.enc1 = await enc(1);
  r.dec1 = await dec(1);
  r.max_rss_mb = peakRssMb();
  rm(outP, encP)();
  r.copy = await measure(() => plainCopy(plain, copyP), rm(copyP));
  rm(copyP)();
  r.copy2 = await measure(() => plainCopy2(plain, copyP), rm(copyP));
  rm(copyP)();
  return r;
}

function runChild(dir: string, plain: string): Promise<Record<string, unknown>> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolveP, reject) => {
    const p = spawn(process.execPath, ['--import', new URL('../bin/ts-loader.mjs', import.meta.url).href, self, '--file-child', dir, plain], { cwd: join(dirname(self), '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => { code === 0 ? resolveP(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`file bench child exited ${code}`)); });
  });
}

/** Field encryption through the real keyring on PGlite: ops/s wall and per CPU-second. */
async function fieldFigures(): Promise<Record<string, unknown>> {
  const { systemClock } = await import('../src/clock.js');
  const { migrate, openPglite } = await import('../src/db/index.js');
  const { createKeys } = await import('../src/keys/index.js');
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
    const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
    /** Calls batch() (which does `per` operations) for 2 s: ops/s on the wall and per CPU-second. */
    const rates = async (batch: (n: number) => Promise<void>, per = 1000) => {
      let n = 0;
      const [c0, t0] = [cpu(), performance.now()];
      while (performance.now() - t0 < 2000) { await batch(n); n += per; }
      return { ops: round(n / ((performance.now() - t0) / 1000)), cpuOps: round(n / (cpu() - c0)) };
    };
    for (let i = 0; i < 50_000; i++) await keys.encryptField(ctx(i), value); // warm-up, creates the field key
    const enc = await rates(async (n) => { for (let i = 0; i < 1000; i++) await keys.encryptField(ctx(n + i), value); });
    const cts: string[] = [];
    for (let i = 0; i < 10_000; i++) cts.push(await keys.encryptField(ctx(i), value));
    const dec = await rates(async () => { for (let i = 0; i < 1000; i++) await keys.decryptField(ctx(i % 10_000), cts[i % 10_000]); });
    const encItems = Array.from({ length: 1000 }, (_, i) => ({ context: ctx(i), plaintext: value }));
    const decItems = cts.slice(0, 1000).map((c, i) => ({ context: ctx(i), ciphertext: c }));
    const encBatch = await rates(async () => { await keys.encryptFieldBatch(encItems); });
    const decBatch = await rates(async () => { await keys.decryptFieldBatch(decItems); });
    return {
      field_encrypt_ops: enc.ops, field_decrypt_ops: dec.ops,
      field_encrypt_batch1000_ops: encBatch.ops, field_decrypt_batch1000_ops: decBatch.ops,
      field_encrypt_cpu_ops: enc.cpuOps, field_decrypt_cpu_ops: dec.cpuOps, field_encrypt_batch1000_cpu_ops: encBatch.cpuOps,
      value_bytes: Buffer.byteLength(value), field_process_rss_mb: round(rss() / 2 ** 20, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const fileMb = Number(process.env.WARDEN_BENCH_FILE_MB ?? 1024);
  const field = process.env.WARDEN_BENCH_FILE_ONLY === '1' ? {} : await fieldFigures();
  // OpenSSL's ceiling, measured now, in the same run.
  const openssl = await opensslRate(1);

  // A file of fileMb MiB of random data, in a RAM-backed temp dir where there is one (the
  // figure is then the crypto and streaming, not this machine's disk).
  const fdir = mkdtempSync(join(process.env.WARDEN_BENCH_TMP ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'warden-bench-file-'));
  let [child, osslFile]: [Record<string, unknown>, Awaited<ReturnType<typeof opensslFileRate>>] = [{}, { error: 'not run' }];
  try {
    const [plain, fd, block] = [join(fdir, 'plain.bin'), openSync(join(fdir, 'plain.bin'), 'w'), randomBytes(1 << 20)];
    for (let i = 0; i < fileMb; i++) { block[0] = i & 0xff; writeSync(fd, block); }
    closeSync(fd);
    child = await runChild(fdir, plain);
    osslFile = await opensslFileRate(plain, join(fdir, 'openssl.enc'));
  } finally {
    rmSync(fdir, { recursive: true, force: true });
  }
  const [enc, dec, enc1, dec1, copy, copy2] = (['enc', 'dec', 'enc1', 'dec1', 'copy', 'copy2'] as const).map((k) => child[k] as Measured & { result: FileResult });
  const size = child.size as number;
  const rate = (s: number) => round(size / MB / s, 1);
  const ceiling = 'MBps' in openssl ? openssl.MBps : null;
  const ratio = (s: number) => (ceiling ? round(size / MB / s / ceiling, 3) : null);
  // The best any file-to-file cipher could do on one core here: the copy's CPU plus OpenSSL's.
  const perCoreBound = ceiling ? 1 / (copy.cpu_s / (size / MB) + 1 / ceiling) : null;
  return {
    bench: 'crypto',
    ...field,
    file_bytes: size, segment_bytes: DEFAULT_SEGMENT, file_dir: dirname(fdir), file_reps_best_of: REPS,
    file_encrypt_workers: enc.result.workers, file_decrypt_workers: dec.result.workers, cpus: availableParallelism(),
    file_encrypt_MBps: rate(enc.wall_s), file_decrypt_MBps: rate(dec.wall_s),
    file_encrypt_cpu_MBps: rate(enc.cpu_s), file_decrypt_cpu_MBps: rate(dec.cpu_s), file_roundtrip_intact: child.intact,
    file_encrypt_cpu_s: round(enc.cpu_s, 2), file_decrypt_cpu_s: round(dec.cpu_s, 2),
    file_1thread_encrypt_MBps: rate(enc1.wall_s), file_1thread_decrypt_MBps: rate(dec1.wall_s),
    file_1thread_encrypt_cpu_MBps: rate(enc1.cpu_s), file_1thread_decrypt_cpu_MBps: rate(dec1.cpu_s),
    file_plain_copy_MBps: rate(copy.wall_s), file_plain_copy_cpu_MBps: rate(copy.cpu_s), file_plain_copy_cpu_s: round(copy.cpu_s, 2),
    file_plain_copy_2threads_MBps: rate(copy2.wall_s), file_plain_copy_2threads_cpu_MBps: rate(copy2.cpu_s),
    file_encrypt_peak_rss_mb: enc.peak_rss_mb, file_decrypt_peak_rss_mb: dec.peak_rss_mb,
    file_1thread_peak_rss_mb: Math.max(enc1.peak_rss_mb, dec1.peak_rss_mb), file_process_max_rss_mb: child.max_rss_mb,
    file_process_idle_rss_mb: child.rss_idle_mb,
    openssl_aes256gcm_16k_MBps: ceiling, openssl: 'error' in openssl ? openssl.error : openssl.version,
    openssl_note: 'openssl speed is one thread and divides by its CPU user time; *_cpu_MBps divide by this process\'s CPU time (user+system, all threads), so *_cpu_vs_openssl is the per-core comparison and *_vs_openssl the wall one with the workers shown',
    file_encrypt_vs_openssl: ratio(enc.wall_s), file_decrypt_vs_openssl: ratio(dec.wall_s),
    file_encrypt_cpu_vs_openssl: ratio(enc.cpu_s), file_decrypt_cpu_vs_openssl: ratio(dec.cpu_s),
    file_1thread_encrypt_vs_openssl: ratio(enc1.wall_s), file_1thread_decrypt_vs_openssl: ratio(dec1.wall_s),
    file_1thread_encrypt_cpu_vs_openssl: ratio(enc1.cpu_s), file_1thread_decrypt_cpu_vs_openssl: ratio(dec1.cpu_s),
    file_plain_copy_cpu_vs_openssl: ratio(copy.cpu_s), file_plain_copy_2threads_vs_openssl: ratio(copy2.wall_s),
    file_per_core_bound_MBps: perCoreBound && round(perCoreBound, 1), file_per_core_bound_vs_openssl: perCoreBound && ceiling && round(perCoreBound / ceiling, 3),
    file_1thread_encrypt_cpu_vs_bound: perCoreBound && round(size / MB / enc1.cpu_s / perCoreBound, 3),
    file_1thread_decrypt_cpu_vs_bound: perCoreBound && round(size / MB / dec1.cpu_s / perCoreBound, 3),
    ...('error' in osslFile ? { openssl_file_error: osslFile.error } : {
      openssl_enc_ctr_file_MBps: rate(osslFile.wall_s), openssl_enc_ctr_file_cpu_MBps: rate(osslFile.cpu_s),
      openssl_enc_ctr_file_vs_openssl_speed: ratio(osslFile.wall_s),
      file_encrypt_vs_openssl_enc_file: round(osslFile.wall_s / enc.wall_s, 3),
      file_encrypt_cpu_vs_openssl_enc_file_cpu: round(osslFile.cpu_s / enc.cpu_s, 3),
    }),
    targets: { field_encrypt_ops: 150_000, file_vs_openssl: 0.5, peak_rss_mb: 150 },
    node: process.version,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--file-child') {
  fileChild(process.argv[3], process.argv[4]).then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.error(e); process.exit(1); });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.error(e); process.exit(1); });
}
