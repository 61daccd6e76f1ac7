import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { keysFixture } from './fixture.js';

let db: Db & { close(): Promise<void> };
let dir: string;
beforeAll(async () => { db = await openTestDb(); dir = mkdtempSync(join(tmpdir(), 'warden-keys-')); });
afterAll(async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); });

describe('master key', () => {
  it('embedded without a key: generates <dataDir>/master.key with mode 0600 and says so', async () => {
    {
      const f = keysFixture(db, { masterKey: null, dataDir: dir, embedded: true });
      const keys = await f.start();
      const path = join(dir, 'master.key');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toHaveLength(32);
      const line = f.logs.find((l) => l.m.includes(path));
      expect(line?.m).toMatch(/losing it loses/);
      const ct = await keys.encryptField('t.c.1', 'secret value');
      // A second start reads the same file back.
      const again = await f.start();
      expect(await again.decryptField('t.c.1', ct)).toBe('secret value');
      expect(f.audits.length).toBeGreaterThan(0);
    }
  });

  it('PostgreSQL mode without a key refuses: MASTER_KEY_REQUIRED', async () => {
    const f = keysFixture(db, { masterKey: null, embedded: false });
    await expect(f.start()).rejects.toMatchObject({ code: 'MASTER_KEY_REQUIRED', status: 500 });
  });

  it('rejects a key that is not base64 of 32 bytes', async () => {
    const f = keysFixture(db, { masterKey: randomBytes(16).toString('base64') });
    await expect(f.start()).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' });
  });

  let f: ReturnType<typeof keysFixture>;
  it('restart with the same key reads everything back; a different key refuses to start', async () => {
    // The same database, with the key generated above passed explicitly this time.
    f = keysFixture(db, { masterKey: readFileSync(join(dir, 'master.key'), 'utf8').trim() });
    const keys = await f.start();
    await keys.createKey('orders', 'aes256-gcm');
    const ct = await keys.encrypt('orders', Buffer.from('order 1'), 'orders.note.1');
    const field = await keys.encryptField('users.email.1', 'a@example.com');
    const sub = await keys.subjectEncrypt('subj-1', 'docs.body.1', 'about subject 1');
    const sig = (await keys.signer()).sign('checkpoint');

    const again = await f.start();
    expect((await again.decrypt('orders', ct, 'orders.note.1')).toString()).toBe('order 1');
    expect(await again.decryptField('users.email.1', field)).toBe('a@example.com');
    expect(await again.subjectDecrypt('subj-1', 'docs.body.1', sub)).toBe('about subject 1');
    expect((await again.signer()).verify('warden-audit:1', 'checkpoint', sig)).toBe(true);

    const wrong = { ...f.config, masterKey: randomBytes(32).toString('base64') };
    await expect(f.start(wrong)).rejects.toMatchObject({ code: 'MASTER_KEY_MISMATCH', status: 500 });
  });

  it('reads the key from WARDEN_MASTER_KEY_FILE', async () => {
    const path = join(dir, 'mk.b64');
    writeFileSync(path, f.config.masterKey + '\n', { mode: 0o600 });
    const keys = await f.start({ ...f.config, masterKey: null, masterKeyFile: path });
    expect(await keys.listKeys()).toEqual(expect.any(Array));
  });

  it('never stores material in clear: every version row is wrapped', async () => {
    const rows = (await db.query<{ wrapped: string }>('SELECT wrapped FROM keyring_versions')).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.wrapped).toMatch(/^wk1\.[A-Za-z0-9_-]+$/);
  });
});
