import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { main } from '../../src/main.js';

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => { o += d; });
  err.on('data', (d) => { e += d; });
  return { io: { stdout: out, stderr: err }, out: () => o, err: () => e };
}

describe('the warden command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-cli-'));
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.WARDEN_DATA_DIR = join(dir, 'data');
    process.env.WARDEN_MASTER_KEY = randomBytes(32).toString('base64');
    process.env.WARDEN_LOG_LEVEL = 'error';
    delete process.env.WARDEN_DATABASE_URL; // the CLI works on the embedded folder here
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists its commands', async () => {
    const c = io();
    expect(await main(['--help'], c.io)).toBe(0);
    for (const cmd of ['serve', 'audit', 'encrypt-file', 'decrypt-file', 'pii']) expect(c.out()).toContain(cmd);
  });

  it('an unknown command exits non-zero with a message', async () => {
    const c = io();
    expect(await main(['frobnicate'], c.io)).not.toBe(0);
    expect(c.err()).toMatch(/unknown command/);
  });

  it('audit verify exits 0 on an intact chain and 1 once a row was edited', async () => {
    const app = await createApp(loadConfig(), { log: createLogger({ level: 'silent' }) });
    await app.audit.record({ actor: { type: 'system' }, action: 'cli.test', outcome: 'success', details: { n: 1 } });
    await app.audit.record({ actor: { type: 'system' }, action: 'cli.test', outcome: 'success', details: { n: 2 } });
    await app.close();

    const ok = io();
    expect(await main(['audit', 'verify'], ok.io)).toBe(0);
    expect(ok.out()).toMatch(/audit chain OK/);

    const again = await createApp(loadConfig(), { log: createLogger({ level: 'silent' }) });
    const last = await again.db.query<{ seq: number; entry: string }>('SELECT seq, entry FROM audit_entries ORDER BY seq DESC LIMIT 1');
    await again.db.query('UPDATE audit_entries SET entry = $1 WHERE seq = $2', [last.rows[0].entry.replace('"n":2', '"n":3'), last.rows[0].seq]);
    await again.close();

    const bad = io();
    expect(await main(['audit', 'verify', '--json'], bad.io)).toBe(1);
    expect(JSON.parse(bad.out())).toMatchObject({ ok: false, reason: 'edited', broken_seq: last.rows[0].seq });
  });

  it('encrypts and decrypts a file with a password; a wrong password leaves no output', async () => {
    const plain = join(dir, 'plain.bin');
    const enc = join(dir, 'plain.bin.wdn');
    const back = join(dir, 'back.bin');
    const pw = join(dir, 'pw.txt');
    const wrong = join(dir, 'wrong.txt');
    const data = randomBytes(300_000);
    writeFileSync(plain, data);
    writeFileSync(pw, 'correct horse battery staple\n');
    writeFileSync(wrong, 'incorrect horse battery staple\n');
    expect(await main(['encrypt-file', plain, enc, '--password-file', pw], io().io)).toBe(0);
    expect(readFileSync(enc).includes(data.subarray(0, 64))).toBe(false);
    const w = io();
    expect(await main(['decrypt-file', enc, back, '--password-file', wrong], w.io)).not.toBe(0);
    expect(w.err()).toMatch(/\S/);
    expect(existsSync(back)).toBe(false);
    expect(await main(['decrypt-file', enc, back, '--password-file', pw], io().io)).toBe(0);
    expect(readFileSync(back).equals(data)).toBe(true);
  });

  it('a command on the data folder keeps log lines off standard output; every error exits 2', async () => {
    const file = join(dir, 'note.txt');
    writeFileSync(file, 'Please mail jane.doe@example.com today\n');
    process.env.WARDEN_LOG_LEVEL = 'info'; // what a user has: the service's info lines (e.g. the master key loaded)
    const written: string[] = [];
    const real = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (real as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      const c = io();
      expect(await main(['pii', 'anonymize', file, '--keyring'], c.io), c.err()).toBe(0);
      expect(c.out()).toBe('Please mail <EMAIL_ADDRESS> today\n');
    } finally {
      process.stdout.write = real;
      process.env.WARDEN_LOG_LEVEL = 'error';
    }
    expect(written.join('')).not.toContain('"level"');
    // 1 means 'PII found' for pii scan: a missing argument or a missing file must not look like that
    const missingArg = io();
    expect(await main(['pii', 'scan'], missingArg.io)).toBe(2);
    expect(missingArg.err()).toMatch(/missing required argument/);
    expect(await main(['pii', 'scan', join(dir, 'nope.txt')], io().io)).toBe(2);
  });

  it('PII settings file: the service and the CLI use its recognizers; a wrong file stops both with its reason', async () => {
    const good = join(dir, 'pii.yaml');
    writeFileSync(good, "regions: [US]\nrecognizers:\n  - entity: EMPLOYEE_ID\n    pattern: '\\bEMP-\\d{6}\\b'\n    score: 0.9\n");
    const bad = join(dir, 'pii-bad.yaml');
    writeFileSync(bad, "recognizers:\n  - entity: EMPLOYEE_ID\n    pattern: '(\\w+\\s?)+$'\n");
    const app = await createApp({ ...loadConfig(), pii: { ...loadConfig().pii, configFile: good, restoreTtlSeconds: 120 } }, { log: createLogger({ level: 'silent' }) });
    try {
      expect(app.pii.scan('ask EMP-123456', {}).map((f) => f.type)).toEqual(['EMPLOYEE_ID']);
      const out = await app.pii.anonymize('ask EMP-123456', { operators: { DEFAULT: { type: 'pseudonymize' } } });
      // WARDEN_PII_RESTORE_TTL reaches the vault
      expect(out.expiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(120_000);
      expect(out.expiresAt!.getTime() - Date.now()).toBeGreaterThan(100_000);
    } finally {
      await app.close();
    }
    await expect(createApp({ ...loadConfig(), pii: { ...loadConfig().pii, configFile: bad } }, { log: createLogger({ level: 'silent' }) }))
      .rejects.toMatchObject({ code: 'PII_INVALID_CONFIG' });
    const input = join(dir, 'emp.txt');
    writeFileSync(input, 'ask EMP-123456\n');
    for (const extra of [[], ['--keyring']]) {
      const c = io();
      expect(await main(['pii', 'anonymize', input, '--config', good, ...extra], c.io), c.err()).toBe(0);
      expect(c.out()).toBe('ask <EMPLOYEE_ID>\n');
      const e = io();
      expect(await main(['pii', 'scan', input, '--config', bad, ...extra], e.io)).toBe(2);
      expect(e.err()).toMatch(/pii-bad.yaml recognizers\[0\].*backtrack/);
      expect(e.err()).toContain('PII_INVALID_CONFIG');
    }
    process.env.WARDEN_PII_RESTORE_TTL = '30';
    try {
      expect(() => loadConfig()).toThrow(/WARDEN_PII_RESTORE_TTL must be between 60/);
      process.env.WARDEN_PII_RESTORE_TTL = '7200';
      process.env.WARDEN_PII_RESTORE_MAX_LIFETIME = '3600';
      expect(() => loadConfig()).toThrow(/WARDEN_PII_RESTORE_MAX_LIFETIME must be at least WARDEN_PII_RESTORE_TTL/);
    } finally {
      delete process.env.WARDEN_PII_RESTORE_TTL;
      delete process.env.WARDEN_PII_RESTORE_MAX_LIFETIME;
    }
  });
});
