import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { runSetupCli } from './cli.js';
import { identityFixture } from './testing.js';

let db: Db;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

function io(input = '') {
  const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough().on('data', (d) => out.push(String(d)));
  const stderr = new PassThrough().on('data', (d) => err.push(String(d)));
  if (input) setImmediate(() => { (stdin as unknown as PassThrough).end(input); });
  return { stdin, stdout, stderr, out, err };
}

describe('first admin', () => {
  it('warden setup reads the password from a file or stdin, once', async () => {
    await db.query('DELETE FROM users');
    const f = identityFixture(db);
    const dir = mkdtempSync(join(tmpdir(), 'warden-setup-'));
    writeFileSync(join(dir, 'pw'), 'a file based admin passphrase\n');
    const a = io();
    expect(await runSetupCli(f.identity, { email: 'cli@example.com', passwordFile: join(dir, 'pw') }, a)).toBe(0);
    expect(a.out.join('')).toMatch(/administrator cli@example\.com created/);
    expect(a.out.join('') + a.err.join('')).not.toContain('a file based admin passphrase');
    expect(await f.identity.login('cli@example.com', 'a file based admin passphrase', {})).toHaveProperty('mfa_enrollment_required', true);
    const b = io('another admin passphrase\n');
    expect(await runSetupCli(f.identity, { email: 'second@example.com' }, b)).toBe(1);
    expect(b.err.join('')).toMatch(/setup is closed/);
    expect(f.audits.find((x) => x.action === 'setup.first_admin')).toMatchObject({ actor: { type: 'system', id: 'cli' } });
  });

  it('WARDEN_ADMIN_EMAIL/PASSWORD create the first admin once; the bootstrap window closes', async () => {
    await db.query('DELETE FROM users');
    const f = identityFixture(db);
    expect(await f.identity.bootstrapOpen()).toBe(true);
    expect(await f.identity.ensureAdminFromEnv({})).toBe('unset');
    expect(await f.identity.ensureAdminFromEnv({ WARDEN_ADMIN_EMAIL: 'env@example.com', WARDEN_ADMIN_PASSWORD: 'a deployment passphrase' })).toBe('created');
    expect(await f.identity.bootstrapOpen()).toBe(false);
    expect(await f.identity.ensureAdminFromEnv({ WARDEN_ADMIN_EMAIL: 'env2@example.com', WARDEN_ADMIN_PASSWORD: 'a deployment passphrase' })).toBe('exists');
    // A second process sees it too.
    const g = identityFixture(db);
    expect(await g.identity.bootstrapOpen()).toBe(false);
    expect(await g.identity.issueSetupToken()).toBeNull();
  });

  it('a setup token expires after an hour', async () => {
    await db.query('DELETE FROM users');
    const f = identityFixture(db);
    const t = (await f.identity.issueSetupToken())!;
    f.clock.advance(3_600_001);
    await expect(f.identity.setupWithToken(t.token, { email: 'late@example.com', password: 'a late admin passphrase' }, { type: 'anonymous' })).rejects.toMatchObject({ code: 'SETUP_TOKEN_INVALID' });
  });
});
