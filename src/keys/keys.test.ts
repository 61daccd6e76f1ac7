import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import type { Db } from '../db/types.js';
import { keysFixture } from './fixture.js';
import type { Keys } from './index.js';

let db: Db;
let f: ReturnType<typeof keysFixture>;
let keys: Keys;
const admin = { type: 'user' as const, id: 'u-admin' };
const DPO = { type: 'user' as const, id: 'u-dpo' };

beforeAll(async () => { db = await openTestDb(); f = keysFixture(db); keys = await f.start(); });
afterAll(async () => { await db.close(); });

describe('keyring', () => {
  it('creates, lists and describes keys without material', async () => {
    const k = await keys.createKey('billing', 'aes256-gcm', { actor: admin });
    expect(k).toMatchObject({ name: 'billing', type: 'aes256-gcm', latest_version: 1, min_decryption_version: 1, deletion_protection: true, overdue: false });
    await expect(keys.createKey('billing', 'aes256-gcm')).rejects.toMatchObject({ code: 'KEY_EXISTS', status: 409 });
    await expect(keys.createKey('bad name', 'aes256-gcm')).rejects.toMatchObject({ code: 'KEY_NAME_INVALID' });
    await expect(keys.createKey('x', 'rsa' as never)).rejects.toMatchObject({ code: 'KEY_TYPE_INVALID' });
    expect((await keys.listKeys()).map((x) => x.name)).toContain('billing');
    const info = await keys.getKey('billing');
    expect(info.versions).toEqual([{ version: 1, created_at: '2026-01-01T00:00:00.000Z' }]);
    expect(JSON.stringify(info)).not.toMatch(/wk1\./);
    expect(f.audits.find((a) => a.action === 'keys.create' && a.target?.id === 'billing')?.actor).toEqual(admin);
    await expect(keys.getKey('nope')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND', status: 404 });
  });

  it('rotate, then decrypt old and new; min_decryption_version refuses older', async () => {
    await keys.createKey('rot', 'aes256-gcm');
    const v1 = await keys.encrypt('rot', Buffer.from('one'), 'ctx');
    f.clock.advance(1000);
    const r = await keys.rotateKey('rot', admin);
    expect(r.latest_version).toBe(2);
    expect(r.rotated_at).toBe('2026-01-01T00:00:01.000Z');
    const v2 = await keys.encrypt('rot', Buffer.from('two'), 'ctx');
    expect(v1).toMatch(/^wdn:v1:rot:1:/);
    expect(v2).toMatch(/^wdn:v1:rot:2:/);
    expect((await keys.decrypt('rot', v1, 'ctx')).toString()).toBe('one');
    expect((await keys.decrypt('rot', v2, 'ctx')).toString()).toBe('two');
    const re = await keys.rewrap('rot', v1, 'ctx');
    expect(re).toMatch(/^wdn:v1:rot:2:/);
    expect((await keys.decrypt('rot', re, 'ctx')).toString()).toBe('one');
    await keys.updateKey('rot', { min_decryption_version: 2 }, admin);
    await expect(keys.decrypt('rot', v1, 'ctx')).rejects.toMatchObject({ code: 'KEY_VERSION_RETIRED' });
    await expect(keys.rewrap('rot', v1, 'ctx')).rejects.toMatchObject({ code: 'KEY_VERSION_RETIRED' });
    expect((await keys.decrypt('rot', re, 'ctx')).toString()).toBe('one');
    await expect(keys.updateKey('rot', { min_decryption_version: 3 })).rejects.toMatchObject({ code: 'KEY_VERSION_INVALID' });
    expect((await keys.getKey('rot')).min_decryption_version).toBe(2);
  });

  it('binds the context and the key: wrong context, key or tampering fail', async () => {
    await keys.createKey('ctxk', 'aes256-gcm');
    await keys.createKey('other', 'aes256-gcm');
    const ct = await keys.encrypt('ctxk', Buffer.from('v'), 'users.ssn.1');
    await expect(keys.decrypt('ctxk', ct, 'users.ssn.2')).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(keys.decrypt('ctxk', ct)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(keys.decrypt('other', ct, 'users.ssn.1')).rejects.toMatchObject({ code: 'CIPHERTEXT_KEY_MISMATCH' });
    await expect(keys.decrypt('other', ct.replace(':ctxk:', ':other:'), 'users.ssn.1')).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(keys.decrypt('ctxk', ct.replace(':1:', ':9:'), 'users.ssn.1')).rejects.toMatchObject({ code: 'KEY_VERSION_INVALID' });
  });

  it('audits transit calls with an actor, never with plaintext', async () => {
    const before = f.audits.length;
    const ct = await keys.encrypt('ctxk', Buffer.from('TOP-SECRET-PLAINTEXT'), 'c', admin);
    await expect(keys.decrypt('ctxk', ct, 'wrong', admin)).rejects.toThrow();
    const mine = f.audits.slice(before);
    expect(mine.map((a) => [a.action, a.outcome])).toEqual([['keys.encrypt', 'success'], ['keys.decrypt', 'failure']]);
    expect(JSON.stringify(mine)).not.toMatch(/TOP-SECRET|VE9QLVNFQ1JFVC/);
    expect(f.events.some((e) => e.type === 'key.decrypt_failed')).toBe(true);
  });

  it('batches answer per item, with an error where one fails', async () => {
    const enc = await keys.encryptBatch('ctxk', [{ plaintext: Buffer.from('a'), context: 'r1' }, { plaintext: Buffer.from('b'), context: 'r2' }], admin);
    const cts = enc.map((e) => ('ciphertext' in e ? e.ciphertext : ''));
    const dec = await keys.decryptBatch('ctxk', [{ ciphertext: cts[0], context: 'r1' }, { ciphertext: cts[1], context: 'r1' }, { ciphertext: 'junk' }]);
    expect(dec[0]).toEqual({ plaintext: Buffer.from('a') });
    expect(dec[1]).toMatchObject({ error: { code: 'DECRYPTION_FAILED' } });
    expect(dec[2]).toMatchObject({ error: { code: 'CIPHERTEXT_INVALID' } });
    const re = await keys.rewrapBatch('ctxk', [{ ciphertext: cts[1], context: 'r2' }]);
    expect(re[0]).toMatchObject({ ciphertext: expect.stringMatching(/^wdn:v1:ctxk:1:/) });
    await expect(keys.encryptBatch('ctxk', [])).rejects.toMatchObject({ code: 'BATCH_INVALID' });
  });

  it('datakey gives plaintext and the same key wrapped', async () => {
    const dk = await keys.datakey('ctxk');
    expect(dk.plaintext).toHaveLength(32);
    expect((await keys.decrypt('ctxk', dk.ciphertext)).equals(dk.plaintext)).toBe(true);
  });

  it('refuses encryption with a non-AES key', async () => {
    await keys.createKey('sig', 'ed25519');
    await expect(keys.encrypt('sig', Buffer.from('x'))).rejects.toMatchObject({ code: 'KEY_WRONG_TYPE' });
  });

  it('deletion protection: refused until turned off', async () => {
    await keys.createKey('gone', 'aes256-gcm');
    await expect(keys.deleteKey('gone', admin)).rejects.toMatchObject({ code: 'KEY_DELETION_PROTECTED', status: 409 });
    await keys.updateKey('gone', { deletion_protection: false }, admin);
    await keys.deleteKey('gone', admin);
    await expect(keys.getKey('gone')).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    await expect(keys.encrypt('gone', Buffer.from('x'))).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(f.audits.some((a) => a.action === 'keys.delete' && a.target?.id === 'gone')).toBe(true);
  });

  it('a failing audit rolls the change back (same transaction)', async () => {
    const broken = keysFixture(db, { masterKey: f.config.masterKey });
    const k2 = await (await import('./index.js')).createKeys({ ...broken.deps(), audit: async () => { throw new Error('audit down'); } });
    await expect(k2.rotateKey('billing')).rejects.toThrow('audit down');
    expect((await keys.getKey('billing')).latest_version).toBe(1);
  });

  it('marks keys overdue after WARDEN_KEY_ROTATION_DAYS', async () => {
    expect(await keys.overdueKeys()).toEqual([]);
    f.clock.advance(91 * 86_400_000);
    const names = (await keys.overdueKeys()).map((k) => k.name);
    expect(names).toContain('billing');
    await keys.rotateKey('billing');
    expect((await keys.overdueKeys()).map((k) => k.name)).not.toContain('billing');
    expect((await keys.getKey('billing')).overdue).toBe(false);
  });
});

describe('fields and keyed hashes', () => {
  it('encryptField round-trips, bound to its context, and survives rotation of the field key', async () => {
    const ct = await keys.encryptField('users.email.7', 'seven@example.com');
    expect(ct).toMatch(/^wdn:v1:warden-fields:1:/);
    expect(await keys.decryptField('users.email.7', ct)).toBe('seven@example.com');
    await expect(keys.decryptField('users.email.8', ct)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(keys.decryptField('users.phone.7', ct)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await keys.rotateKey('warden-fields');
    const ct2 = await keys.encryptField('users.email.7', 'seven@example.com');
    expect(ct2).toMatch(/^wdn:v1:warden-fields:2:/);
    expect(await keys.decryptField('users.email.7', ct)).toBe('seven@example.com');
    const many = await keys.encryptFieldBatch([{ context: 'a', plaintext: '1' }, { context: 'b', plaintext: '2' }]);
    expect(await keys.decryptFieldBatch([{ context: 'a', ciphertext: many[0] }, { context: 'b', ciphertext: many[1] }])).toEqual(['1', '2']);
  });

  it('field values of any size and script round-trip; the cached fast path refuses what the general path refuses', async () => {
    const odd = 'zoë@例え.jp 🙂';
    const ctxOdd = 'users.name.ü';
    expect(await keys.decryptField(ctxOdd, await keys.encryptField(ctxOdd, odd))).toBe(odd);
    // Larger than the scratch buffers: value and context take freshly allocated buffers.
    const big = 'é'.repeat(40_000);
    const ctxBig = 'c'.repeat(20_000);
    const ctBig = await keys.encryptField(ctxBig, big);
    expect(await keys.decryptField(ctxBig, ctBig)).toBe(big);
    await expect(keys.decryptField(ctxBig + 'x', ctBig)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    await expect(keys.decryptField('users.email.1', 'not a ciphertext')).rejects.toMatchObject({ code: 'CIPHERTEXT_INVALID' });
    await expect(keys.decryptField('ctx', await keys.encrypt('billing', Buffer.from('x'), 'ctx'))).rejects.toMatchObject({ code: 'CIPHERTEXT_KEY_MISMATCH' });
    // Another process rotates the field key: its new version is not cached here yet, and decrypts.
    const other = await f.start();
    await other.rotateKey('warden-fields');
    const fromOther = await other.encryptField('users.email.9', 'nine');
    expect(await keys.decryptField('users.email.9', fromOther)).toBe('nine');
    // A retired version is refused even while the key is cached.
    const old = await keys.encryptField('users.email.10', 'ten');
    await keys.rotateKey('warden-fields');
    const latest = (await keys.getKey('warden-fields')).latest_version;
    await keys.updateKey('warden-fields', { min_decryption_version: latest }, admin);
    await expect(keys.decryptField('users.email.10', old)).rejects.toMatchObject({ code: 'KEY_VERSION_RETIRED' });
    expect(await keys.decryptField('users.email.11', await keys.encryptField('users.email.11', 'eleven'))).toBe('eleven');
  });

  it('hmac is keyed, stable and created on demand', async () => {
    const a = await keys.hmac('warden-index', 'a@example.com');
    expect(a).toHaveLength(32);
    expect((await keys.hmac('warden-index', 'a@example.com')).equals(a)).toBe(true);
    expect((await keys.hmac('warden-index2', 'a@example.com')).equals(a)).toBe(false);
    expect((await keys.getKey('warden-index')).type).toBe('hmac-sha256');
  });
});

describe('signing', () => {
  it('the audit signer signs synchronously and verifies every version by key id', async () => {
    const s = await keys.signer();
    expect(s.keyId()).toBe('warden-audit:1');
    const sig1 = s.sign('m1');
    expect(s.verify('warden-audit:1', 'm1', sig1)).toBe(true);
    expect(s.verify('warden-audit:1', 'm2', sig1)).toBe(false);
    await keys.rotateKey('warden-audit');
    expect(s.keyId()).toBe('warden-audit:2');
    const sig2 = s.sign('m1');
    expect(s.verify('warden-audit:2', 'm1', sig2)).toBe(true);
    expect(s.verify('warden-audit:1', 'm1', sig1)).toBe(true);
    expect(s.verify('warden-audit:1', 'm1', sig2)).toBe(false);
    expect(s.verify('other:1', 'm1', sig1)).toBe(false);
    expect(s.verify('warden-audit:1', 'm1', '!!')).toBe(false);
    expect(s.publicKeys().map((p) => p.key_id)).toEqual(['warden-audit:1', 'warden-audit:2']);
    expect(s.publicKeys()[0].public_key_pem).toMatch(/BEGIN PUBLIC KEY/);
    expect((await keys.publicKeys()).map((p) => p.key_id)).toEqual(expect.arrayContaining(['warden-audit:1', 'warden-audit:2', 'sig:1']));
  });

  it('signingKeyPair gives KeyObjects for token signing', async () => {
    const kp = await keys.signingKeyPair('warden-audit');
    expect(kp.kid).toBe('warden-audit:2');
    expect(kp.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(kp.versions.map((v) => v.kid)).toEqual(['warden-audit:1', 'warden-audit:2']);
    await expect(keys.signingKeyPair('billing')).rejects.toMatchObject({ code: 'KEY_WRONG_TYPE' });
  });
});

describe('crypto-shredding', () => {
  it('gives each subject its own key; the subject id is not in the ciphertext', async () => {
    const a = await keys.subjectEncrypt('alice-42', 'notes.body.1', 'alice note');
    const b = await keys.subjectEncrypt('bob-7', 'notes.body.1', 'bob note');
    expect(a).toMatch(/^wdn:v1:@s[0-9a-f]{32}:1:/);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
    expect(a).not.toContain('alice');
    expect(await keys.subjectDecrypt('alice-42', 'notes.body.1', a)).toBe('alice note');
    await expect(keys.subjectDecrypt('bob-7', 'notes.body.1', a)).rejects.toMatchObject({ code: 'CIPHERTEXT_KEY_MISMATCH' });
    await expect(keys.subjectDecrypt('alice-42', 'notes.body.2', a)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('shredding makes every value under the key unreadable, also from a restarted process', async () => {
    const a = await keys.subjectEncrypt('alice-42', 'notes.body.2', 'second note');
    const r = await keys.shredSubject('alice-42', DPO);
    expect(r).toMatchObject({ subject_id: 'alice-42', already: false });
    await expect(keys.subjectDecrypt('alice-42', 'notes.body.2', a)).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED', status: 410 });
    await expect(keys.subjectEncrypt('alice-42', 'notes.body.3', 'new')).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED' });
    const fresh = await f.start();
    await expect(fresh.subjectDecrypt('alice-42', 'notes.body.2', a)).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED' });
    const row = (await db.query<{ wrapped: string | null }>('SELECT wrapped FROM subject_keys WHERE subject_id = $1', ['alice-42'])).rows[0];
    expect(row.wrapped).toBeNull();
    // Other subjects are untouched.
    const b = await keys.subjectEncrypt('bob-7', 'x', 'still here');
    expect(await fresh.subjectDecrypt('bob-7', 'x', b)).toBe('still here');
  });

  it('is audited and cannot be undone; shredding again is a no-op that is still recorded', async () => {
    const entries = f.audits.filter((e) => e.action === 'keys.subject.shred');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: DPO, outcome: 'success' });
    expect(JSON.stringify(entries)).not.toContain('note');
    const again = await keys.shredSubject('alice-42', DPO);
    expect(again.already).toBe(true);
    expect(f.events.some((e) => e.type === 'key.subject_shredded')).toBe(true);
  });

  it('reaches database backups taken before the shredding: the key never was in the database', async () => {
    const secret = await keys.subjectEncrypt('dora-9', 'notes.body.1', 'dora note');
    const before = (await db.query<{ key_id: string; wrapped: string | null }>('SELECT key_id, wrapped FROM subject_keys WHERE subject_id = $1', ['dora-9'])).rows[0];
    // The "backup": the database row as it stood before shredding holds no key material.
    expect(before.wrapped).toBe('vault');
    expect(readdirSync(join(f.config.dataDir, 'subject-keys'))).toContain(`${before.key_id}.key`);
    await keys.shredSubject('dora-9', DPO);
    expect(readdirSync(join(f.config.dataDir, 'subject-keys'))).not.toContain(`${before.key_id}.key`);
    // Restore the backup's row over the tombstone, then read with a fresh process and the same master key.
    await db.query('UPDATE subject_keys SET wrapped = $2, shredded_at = NULL WHERE key_id = $1', [before.key_id, before.wrapped]);
    const restored = await f.start();
    await expect(restored.subjectDecrypt('dora-9', 'notes.body.1', secret)).rejects.toMatchObject({ code: 'SUBJECT_KEY_MISSING', status: 410 });
    await db.query('UPDATE subject_keys SET wrapped = NULL, shredded_at = now() WHERE key_id = $1', [before.key_id]);
  });

  it('moves keys stored in the database by an older version into the vault at start, and sweeps shredded leftovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-keys-legacy-'));
    const legacy = await f.start({ ...f.config, embedded: false, dataDir: dir });
    const v = await legacy.subjectEncrypt('erin-3', 'x', 'legacy value');
    const row = (await db.query<{ key_id: string; wrapped: string }>('SELECT key_id, wrapped FROM subject_keys WHERE subject_id = $1', ['erin-3'])).rows[0];
    expect(row.wrapped).toMatch(/^wk1\./); // no vault: wrapped key in the database
    expect(f.logs.some((l) => l.level === 'warn' && /crypto-shredding does not reach database backups/.test(l.m))).toBe(true);
    // A leftover file of a key that is shredded in the database.
    writeFileSync(join(f.config.dataDir, 'subject-keys', `s${'ab'.repeat(16)}.key`), 'junk');
    await db.query(`INSERT INTO subject_keys (key_id, subject_id, wrapped, created_at, shredded_at) VALUES ($1, 'gone-1', NULL, now(), now())`, [`s${'ab'.repeat(16)}`]);
    const upgraded = await f.start();
    expect(readdirSync(join(f.config.dataDir, 'subject-keys'))).toContain(`${row.key_id}.key`);
    expect(readdirSync(join(f.config.dataDir, 'subject-keys'))).not.toContain(`s${'ab'.repeat(16)}.key`);
    expect((await db.query<{ wrapped: string }>('SELECT wrapped FROM subject_keys WHERE key_id = $1', [row.key_id])).rows[0].wrapped).toBe('vault');
    expect(await upgraded.subjectDecrypt('erin-3', 'x', v)).toBe('legacy value');
    // A process configured without the vault cannot read vault keys and says why.
    await expect((await f.start({ ...f.config, embedded: false, dataDir: dir })).subjectDecrypt('erin-3', 'x', v))
      .rejects.toMatchObject({ code: 'SUBJECT_KEY_MISSING' });
  });

  it('shredding a subject that never had a key leaves a tombstone', async () => {
    await keys.shredSubject('carol-1', DPO);
    await expect(keys.subjectEncrypt('carol-1', 'x', 'y')).rejects.toMatchObject({ code: 'SUBJECT_KEY_SHREDDED' });
  });
});
