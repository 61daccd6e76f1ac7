import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretKey } from 'node:crypto';
import type { Actor } from '../audit/index.js';
import { runFileCli } from './cli.js';
import { keyError } from './errors.js';
import { headerFor, openValue, parseCiphertext, sealValue } from './format.js';

// A one-key stand-in for the keyring (the keyring itself is tested through its door elsewhere).
const k1 = createSecretKey(randomBytes(32));
const calls: Array<{ op: string; actor?: Actor }> = [];
const keys = {
  async encrypt(name: string, pt: Buffer, ctx?: string, actor?: Actor) {
    if (name !== 'files') throw keyError('KEY_NOT_FOUND', `no key named ${name}`);
    calls.push({ op: 'encrypt', actor });
    return sealValue(k1, headerFor(name, 1), pt, ctx);
  },
  async decrypt(_name: string, ct: string, ctx?: string, actor?: Actor) {
    calls.push({ op: 'decrypt', actor });
    return openValue(k1, parseCiphertext(ct), ctx);
  },
};
let dir: string;
const p = (n: string) => join(dir, n);
const err = () => { const lines: string[] = []; return { lines, write: (s: string) => { lines.push(s); } }; };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warden-cli-'));
  writeFileSync(p('plain.bin'), randomBytes(200_000));
  writeFileSync(p('pw'), 'a long passphrase\n');
  writeFileSync(p('pw2'), 'another passphrase\n');
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('warden encrypt-file / decrypt-file', () => {
  it('round-trips with a keyring key, acting (and so audited) as the CLI', async () => {
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('k.enc'), key: 'files', keys, stderr: err() })).toBe(0);
    expect(statSync(p('k.enc')).mode & 0o777).toBe(0o600);
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('k.enc'), output: p('k.out'), key: 'files', keys, stderr: err() })).toBe(0);
    expect(readFileSync(p('k.out')).equals(readFileSync(p('plain.bin')))).toBe(true);
    expect(calls).toEqual([{ op: 'encrypt', actor: { type: 'system', id: 'cli' } }, { op: 'decrypt', actor: { type: 'system', id: 'cli' } }]);
  });

  it('round-trips with a password file, without a keyring', async () => {
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('p.enc'), passwordFile: p('pw'), stderr: err() })).toBe(0);
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('p.enc'), output: p('p.out'), passwordFile: p('pw'), stderr: err() })).toBe(0);
    expect(readFileSync(p('p.out')).equals(readFileSync(p('plain.bin')))).toBe(true);
  });

  it('on failure: non-zero exit, clear message, no output and no temp file left', async () => {
    const t = readFileSync(p('p.enc'));
    t[t.length - 10] ^= 1; // damage the last segment: earlier segments decrypt fine first
    writeFileSync(p('bad.enc'), t);
    const before = readdirSync(dir).length;
    const e = err();
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('bad.enc'), output: p('bad.out'), passwordFile: p('pw'), stderr: e })).toBe(1);
    expect(e.lines.join('')).toMatch(/decryption failed: .*FILE_AUTH_FAILED.*no output was written/);
    const e2 = err();
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('p.enc'), output: p('bad.out'), passwordFile: p('pw2'), stderr: e2 })).toBe(1);
    expect(e2.lines.join('')).toMatch(/wrong key or password/);
    expect(readdirSync(dir)).toHaveLength(before);
    expect(readdirSync(dir)).not.toContain('bad.out');
  });

  it('a file above the parallel threshold (6 MiB) round-trips; a damaged middle segment fails with nothing written', async () => {
    const big = randomBytes(6 * 1024 * 1024 + 3);
    writeFileSync(p('big.bin'), big);
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('big.bin'), output: p('big.enc'), key: 'files', keys, stderr: err() })).toBe(0);
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('big.enc'), output: p('big.out'), key: 'files', keys, stderr: err() })).toBe(0);
    expect(readFileSync(p('big.out')).equals(big)).toBe(true);
    // --threads 1 writes a file that any thread count reads back, and the other way round
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('big.bin'), output: p('big1.enc'), key: 'files', keys, threads: '1', stderr: err() })).toBe(0);
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('big1.enc'), output: p('big1.out'), key: 'files', keys, stderr: err() })).toBe(0);
    expect(readFileSync(p('big1.out')).equals(big)).toBe(true);
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('big.enc'), output: p('big2.out'), key: 'files', keys, threads: '1', stderr: err() })).toBe(0);
    expect(readFileSync(p('big2.out')).equals(big)).toBe(true);
    for (const n of ['big1.enc', 'big1.out', 'big2.out']) rmSync(p(n));
    const t = readFileSync(p('big.enc'));
    t[t.length >> 1] ^= 1;
    writeFileSync(p('big.bad'), t);
    const before = readdirSync(dir).length;
    const e = err();
    expect(await runFileCli({ cmd: 'decrypt-file', input: p('big.bad'), output: p('big.bad.out'), key: 'files', keys, stderr: e })).toBe(1);
    expect(e.lines.join('')).toMatch(/decryption failed: segment \d+ failed authentication.*FILE_AUTH_FAILED.*no output was written/);
    expect(readdirSync(dir)).toHaveLength(before);
    for (const n of ['big.bin', 'big.enc', 'big.out', 'big.bad']) rmSync(p(n));
  });

  it('usage errors exit 2', async () => {
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('x'), stderr: err() })).toBe(2);
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('x'), key: 'files', passwordFile: p('pw'), keys, stderr: err() })).toBe(2);
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('plain.bin'), passwordFile: p('pw'), stderr: err() })).toBe(2);
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('missing'), output: p('x'), passwordFile: p('pw'), stderr: err() })).toBe(1);
    expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('x'), key: 'nokey', keys, stderr: err() })).toBe(1);
    for (const threads of ['0', '-1', '2.5', 'many', '65', '']) {
      const e = err();
      expect(await runFileCli({ cmd: 'encrypt-file', input: p('plain.bin'), output: p('x'), passwordFile: p('pw'), threads, stderr: e })).toBe(2);
      expect(e.lines.join('')).toMatch(/--threads must be a whole number from 1 to 64/);
    }
    expect(readdirSync(dir)).not.toContain('x');
  });
});
