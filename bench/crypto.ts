/**
 * Crypto benchmark: field encryption ops/s (one at a time and in batches of 1,000, 100-byte
 * values), streaming file encryption MB/s on a 1 GiB file with peak RSS, and OpenSSL's own
 * AES-256-GCM rate at 16 KiB blocks measured in the same run as the ceiling.
 * Prints one JSON line. WARDEN_BENCH_FILE_MB changes the file size (default 1024),
 * WARDEN_BENCH_FILE_THREADS the most worker threads for the file (default: CPUs, at most 4).
 *
 * Field figures are per call, one awaited call after another (wall), plus the same count over
 * the process CPU time spent (steadier on a shared machine). File figures are wall and CPU for
 * the whole encryptFile / decryptFile call (header, key unwrap, workers, fsync, rename); the
 * CPU figure counts every thread of the process. A plain copy of the same file (read + write,
 * no crypto, one thread) is measured alongside: what the file system alone costs here.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
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
async function measure<T>(fn: () => Promise<T>): Promise<{ wall_s: number; cpu_s: number; peak_rss_mb: number; result: T }> {
  let peak = rss();
  const timer = setInterval(() => { peak = Math.max(peak, rss()); }, 20);
  const t = performance.now();
  const cu = process.cpuUsage();
  let result: T;
  try { result = await fn(); } finally { clearInterval(timer); }
  const c = process.cpuUsage(cu);
  peak = Math.max(peak, rss());
  return { wall_s: (performance.now() - t) / 1000, cpu_s: (c.user + c.system) / 1e6, peak_rss_mb: round(peak / 2 ** 20, 1), result };
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
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(src, buf, 0, buf.length, null)) > 0;) writeSync(dst, buf, 0, n);
    fsyncSync(dst);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
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
  const enc = await measure(() => encryptFile(plain, join(dir, 'file.enc'), { kind: 'key', keys, name: 'bench-files' }, { threads }));
  const dec = await measure(() => decryptFile(join(dir, 'file.enc'), join(dir, 'file.out'), { kind: 'key', keys }, { threads }));
  const maxRss = peakRssMb();
  const intact = (await sha256(join(dir, 'file.out'))) === (await sha256(plain));
  unlinkSync(join(dir, 'file.out'));
  unlinkSync(join(dir, 'file.enc'));
  const copy = await measure(() => plainCopy(plain, join(dir, 'file.copy')));
  return { size, rss_idle_mb: rssIdle, enc, dec, copy, intact, max_rss_mb: maxRss };
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

export async function run(): Promise<Record<string, unknown>> {
  const fileMb = Number(process.env.WARDEN_BENCH_FILE_MB ?? 1024);
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

    // Field encryption, one call at a time.
    for (let i = 0; i < 50_000; i++) await keys.encryptField(ctx(i), value); // warm-up, creates the field key
    const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
    let n = 0;
    let c0 = cpu();
    let t = timeLoop(2);
    while (!t.done()) { for (let i = 0; i < 1000; i++) await keys.encryptField(ctx(n + i), value); n += 1000; }
    const encOps = n / t.elapsed();
    const encCpuOps = n / (cpu() - c0);
    const cts: string[] = [];
    for (let i = 0; i < 10_000; i++) cts.push(await keys.encryptField(ctx(i), value));
    n = 0;
    c0 = cpu();
    t = timeLoop(2);
    while (!t.done()) { for (let i = 0; i < 1000; i++) await keys.decryptField(ctx(i % 10_000), cts[i % 10_000]); n += 1000; }
    const decOps = n / t.elapsed();
    const decCpuOps = n / (cpu() - c0);

    // Batches of 1,000.
    const encItems = Array.from({ length: 1000 }, (_, i) => ({ context: ctx(i), plaintext: value }));
    const decItems = cts.slice(0, 1000).map((c, i) => ({ context: ctx(i), ciphertext: c }));
    n = 0;
    c0 = cpu();
    t = timeLoop(2);
    while (!t.done()) { await keys.encryptFieldBatch(encItems); n += 1000; }
    const encBatchOps = n / t.elapsed();
    const encBatchCpuOps = n / (cpu() - c0);
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
    let osslFile: Awaited<ReturnType<typeof opensslFileRate>>;
    try {
      const plain = join(fdir, 'plain.bin');
      const fd = openSync(plain, 'w');
      const block = randomBytes(1 << 20);
      for (let i = 0; i < fileMb; i++) { block[0] = i & 0xff; writeSync(fd, block); }
      closeSync(fd);
      child = await runChild(fdir, plain);
      osslFile = await opensslFileRate(plain, join(fdir, 'openssl.enc'));
    } finally {
      rmSync(fdir, { recursive: true, force: true });
    }
    type Run = { wall_s: number; cpu_s: number; peak_rss_mb: number; result: FileResult };
    const enc = child.enc as Run;
    const dec = child.dec as Run;
    const copy = child.copy as Run;
    const size = child.size as number;
    const rate = (s: number) => round(size / MB / s, 1);
    const ceiling = 'MBps' in openssl ? openssl.MBps : null;
    const ratio = (s: number) => (ceiling ? round(size / MB / s / ceiling, 3) : null);
    return {
      bench: 'crypto',
      field_encrypt_ops: round(encOps), field_decrypt_ops: round(decOps),
      field_encrypt_batch1000_ops: round(encBatchOps), field_decrypt_batch1000_ops: round(decBatchOps),
      field_encrypt_cpu_ops: round(encCpuOps), field_decrypt_cpu_ops: round(decCpuOps), field_encrypt_batch1000_cpu_ops: round(encBatchCpuOps),
      value_bytes: Buffer.byteLength(value),
      file_bytes: size, segment_bytes: DEFAULT_SEGMENT, file_dir: dirname(fdir),
      file_encrypt_workers: enc.result.workers, file_decrypt_workers: dec.result.workers, cpus: availableParallelism(),
      file_encrypt_MBps: rate(enc.wall_s), file_decrypt_MBps: rate(dec.wall_s),
      file_encrypt_cpu_MBps: rate(enc.cpu_s), file_decrypt_cpu_MBps: rate(dec.cpu_s), file_roundtrip_intact: child.intact,
      file_encrypt_cpu_s: round(enc.cpu_s, 2), file_decrypt_cpu_s: round(dec.cpu_s, 2),
      file_plain_copy_MBps: rate(copy.wall_s), file_plain_copy_cpu_MBps: rate(copy.cpu_s), file_plain_copy_cpu_s: round(copy.cpu_s, 2),
      file_encrypt_peak_rss_mb: enc.peak_rss_mb, file_decrypt_peak_rss_mb: dec.peak_rss_mb, file_process_max_rss_mb: child.max_rss_mb,
      file_process_idle_rss_mb: child.rss_idle_mb, field_process_rss_mb: round(rss() / 2 ** 20, 1),
      openssl_aes256gcm_16k_MBps: ceiling, openssl: 'error' in openssl ? openssl.error : openssl.version,
      openssl_note: 'openssl speed is one thread and divides by its CPU user time; *_cpu_MBps divide by this process\'s CPU time (user+system, all threads), so *_cpu_vs_openssl is the per-core comparison and *_vs_openssl the wall one with the workers shown',
      file_encrypt_vs_openssl: ratio(enc.wall_s), file_decrypt_vs_openssl: ratio(dec.wall_s),
      file_encrypt_cpu_vs_openssl: ratio(enc.cpu_s), file_decrypt_cpu_vs_openssl: ratio(dec.cpu_s),
      ...('error' in osslFile ? { openssl_file_error: osslFile.error } : {
        openssl_enc_ctr_file_MBps: rate(osslFile.wall_s), openssl_enc_ctr_file_cpu_MBps: rate(osslFile.cpu_s),
        openssl_enc_ctr_file_vs_openssl_speed: ratio(osslFile.wall_s),
        file_encrypt_vs_openssl_enc_file: round(osslFile.wall_s / enc.wall_s, 3),
        file_encrypt_cpu_vs_openssl_enc_file_cpu: round(osslFile.cpu_s / enc.cpu_s, 3),
      }),
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
