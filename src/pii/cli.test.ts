import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runPiiCli } from './cli.js';
import { createEphemeralPiiCrypto } from './ephemeral-crypto.js';
import { createPii } from './index.js';
import { createMemoryPiiStore } from './memory-store.js';

function sink() {
  const s = new PassThrough();
  let out = '';
  s.on('data', (c) => (out += c));
  return { s, text: () => out };
}

const dir = mkdtempSync(join(tmpdir(), 'pii-cli-'));
const file = join(dir, 'ticket.txt');
writeFileSync(file, 'Customer: Joe Bloggs\nmail joe@example.com\nnothing here\n');

describe('warden pii', () => {
  it('scan prints a table without values and exits 1 when PII is found', async () => {
    const out = sink();
    const err = sink();
    const code = await runPiiCli({ cmd: 'scan', file, json: false, stdout: out.s, stderr: err.s });
    expect(code).toBe(1);
    expect(out.text()).toMatch(/^LINE\s+COL\s+LEN\s+TYPE\s+SCORE\n1\s+11\s+10\s+PERSON\s+1\.00\n2\s+6\s+15\s+EMAIL_ADDRESS\s+1\.00\n$/);
    expect(out.text() + err.text()).not.toContain('Bloggs');
  });
  it('scan --json from stdin prints one object per finding; no PII → exit 0', async () => {
    const out = sink();
    const code = await runPiiCli({ cmd: 'scan', file: '-', json: true, stdout: out.s, stderr: sink().s, stdin: Readable.from(['x joe@example.com\n']) });
    expect(code).toBe(1);
    expect(JSON.parse(out.text())).toEqual({ line: 1, start: 2, end: 17, type: 'EMAIL_ADDRESS', score: 1 });
    expect(await runPiiCli({ cmd: 'scan', file: '-', json: true, stdout: sink().s, stderr: sink().s, stdin: Readable.from(['hello\n']) })).toBe(0);
  });
  it('anonymize with --operator pseudonymize', async () => {
    const out = sink();
    expect(await runPiiCli({ cmd: 'anonymize', file, json: false, operator: 'pseudonymize', stdout: out.s, stderr: sink().s })).toBe(0);
    expect(out.text()).toBe('Customer: <PERSON_1>\nmail <EMAIL_ADDRESS_1>\nnothing here\n');
  });
  it('errors: unknown operator, missing file, invalid UTF-8 → exit 2 with a message', async () => {
    const err = sink();
    expect(await runPiiCli({ cmd: 'anonymize', file, json: false, operator: 'shred', stdout: sink().s, stderr: err.s })).toBe(2);
    expect(await runPiiCli({ cmd: 'scan', file: join(dir, 'missing.txt'), json: false, stdout: sink().s, stderr: err.s })).toBe(2);
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.from([0x61, 0xc3, 0x28, 0x0a]));
    expect(await runPiiCli({ cmd: 'scan', file: bad, json: false, stdout: sink().s, stderr: err.s })).toBe(2);
    expect(err.text()).toMatch(/unknown operator[\s\S]*no such file[\s\S]*PII_INVALID_UTF8/);
  });
  it('scan waits for a slow reader instead of buffering every finding (table and --json)', async () => {
    for (const json of [true, false]) {
      let most = 0;
      const slow = new Writable({ highWaterMark: 256, write: (_c, _e, done) => setImmediate(done) });
      const write = slow.write.bind(slow) as (c: string) => boolean;
      slow.write = ((c: string) => {
        const ok = write(c);
        most = Math.max(most, slow.writableLength);
        return ok;
      }) as typeof slow.write;
      const stdin = Readable.from(['mail joe@example.com and ann@example.com\n'.repeat(2000)]);
      expect(await runPiiCli({ cmd: 'scan', file: '-', json, stdout: slow, stderr: sink().s, stdin })).toBe(1);
      expect(most).toBeLessThan(4096);
    }
  });
  it('anonymize --operator pseudonymize with the keyring keeps the mapping and prints its restore token on stderr', async () => {
    const pii = createPii({ crypto: createEphemeralPiiCrypto(), store: createMemoryPiiStore() });
    const out = sink();
    const err = sink();
    expect(await runPiiCli({ cmd: 'anonymize', file, json: false, operator: 'pseudonymize', pii, stdout: out.s, stderr: err.s })).toBe(0);
    const token = /restore token: (prt_\S+)/.exec(err.text())?.[1];
    expect(token).toBeDefined();
    expect((await pii.restore(out.text(), token)).text).toBe('Customer: Joe Bloggs\nmail joe@example.com\nnothing here\n');
    // without the keyring nothing is kept, and the user is told so
    const note = sink();
    expect(await runPiiCli({ cmd: 'anonymize', file, json: false, operator: 'pseudonymize', stdout: sink().s, stderr: note.s })).toBe(0);
    expect(note.text()).toMatch(/not kept/);
  });
  it('an output that closes early (| head) ends the run quietly; one that fails to write is an error, exit 2', async () => {
    /** An output that refuses every write after the first `keep` ones with `code`. */
    const failing = (code: string, keep: number) => {
      let n = 0;
      return new Writable({
        highWaterMark: 1,
        write(_c, _e, cb) {
          if (n++ < keep) cb();
          else cb(Object.assign(new Error(`write ${code}`), { code }));
        },
      });
    };
    const many = () => Readable.from(Array.from({ length: 2000 }, () => 'mail joe@example.com\n'));
    const err = sink();
    expect(await runPiiCli({ cmd: 'anonymize', file: '-', json: false, stdout: failing('EPIPE', 3), stderr: err.s, stdin: many() })).toBe(0);
    expect(await runPiiCli({ cmd: 'scan', file: '-', json: true, stdout: failing('EPIPE', 3), stderr: err.s, stdin: many() })).toBe(1);
    expect(err.text()).toBe('');
    const full = sink();
    expect(await runPiiCli({ cmd: 'anonymize', file: '-', json: false, stdout: failing('ENOSPC', 3), stderr: full.s, stdin: many() })).toBe(2);
    expect(full.text()).toMatch(/^error: cannot write the output \(ENOSPC\)\n$/);
  });
});
