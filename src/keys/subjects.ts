import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Actor } from '../audit/index.js';
import { auditKey, emitKey, type KeysContext } from './context.js';
import { keyError } from './errors.js';
import { headerFor, openValue, parseCiphertext, sealValue } from './format.js';
import type { SubjectVault } from './subject-vault.js';
import type { KeyWrapper } from './wrap.js';
import * as store from './store.js';

const CACHE_MAX = 10_000;
/** The `wrapped` column's value for a key whose material lives in the subject vault, not the database. */
export const IN_VAULT = 'vault';
/** A vault file with no database row younger than this may be a creation still committing elsewhere. */
const ORPHAN_GRACE_MS = 60 * 60_000;

function subjectAad(keyId: string): string {
  return `warden-subject-key:v1:${keyId}`;
}

/**
 * Per-subject keys for crypto-shredding. Each data subject gets its own AES-256-GCM key on
 * first use; values are sealed in the usual format under the name `@<key id>` (the subject id
 * itself never appears in a ciphertext). Shredding destroys the wrapped key: every value sealed
 * under it becomes unreadable, for good, and the subject can get no new key.
 *
 * With a vault (the default in the embedded setup) the key material lives outside the database,
 * which then holds only the key id: a database backup taken before the shredding holds no key,
 * so the subject's values in it are unreadable too. Without one, keys are stored wrapped in the
 * database and a backup taken before shredding still holds them.
 */
export function subjectKeys(ctx: KeysContext, wrapper: KeyWrapper, ttlMs: number, vault: SubjectVault | null = null) {
  const { db, clock } = ctx;
  const cache = new Map<string, { keyId: string; header: string; secret: KeyObject; at: number }>();

  async function load(subjectId: string, create: boolean) {
    const hit = cache.get(subjectId);
    if (hit && clock().getTime() - hit.at < ttlMs) return hit;
    let row = await store.getSubject(db, 'subject_id', subjectId);
    if (!row && create) {
      const keyId = `s${randomBytes(16).toString('hex')}`;
      const raw = randomBytes(32);
      const wrapped = await wrapper.wrap(raw, subjectAad(keyId));
      raw.fill(0);
      // The vault file is written (and synced) before the row commits, so a committed row always
      // has its key; a row that loses the race leaves a file that is destroyed right away.
      if (vault) vault.put(keyId, wrapped);
      let won = false;
      try {
        await db.tx(async (tx) => {
          await store.insertSubject(tx, { key_id: keyId, subject_id: subjectId, wrapped: vault ? IN_VAULT : wrapped, created_at: clock() });
          won = (await store.getSubject(tx, 'subject_id', subjectId))?.key_id === keyId;
          if (won) await auditKey(ctx, tx, undefined, 'keys.subject.create', `@${keyId}`, 'success', { subject_id: subjectId });
        });
      } finally {
        if (vault && !won) vault.destroy(keyId);
      }
      row = await store.getSubject(db, 'subject_id', subjectId);
    }
    if (!row) throw keyError('SUBJECT_KEY_NOT_FOUND', 'this subject has no key, so nothing was encrypted for it', { subject_id: subjectId });
    if (!row.wrapped) {
      cache.delete(subjectId);
      throw keyError('SUBJECT_KEY_SHREDDED', 'this subject\'s key was destroyed; its data is unrecoverable', { subject_id: subjectId });
    }
    let wrapped = row.wrapped;
    if (wrapped === IN_VAULT) {
      const held = vault?.get(row.key_id) ?? null;
      if (held === null) {
        cache.delete(subjectId);
        throw keyError('SUBJECT_KEY_MISSING', vault
          ? 'this subject\'s key is not in the subject key vault: it was destroyed (this database may be restored from a backup taken before the shredding) or the vault folder is not the one this database uses'
          : 'this subject\'s key lives in a subject key vault and none is configured (WARDEN_SUBJECT_KEY_DIR)', { subject_id: subjectId });
      }
      wrapped = held;
    }
    const raw = await wrapper.unwrap(wrapped, subjectAad(row.key_id));
    const entry = { keyId: row.key_id, header: headerFor(`@${row.key_id}`, 1), secret: createSecretKey(raw), at: clock().getTime() };
    raw.fill(0);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(subjectId, entry);
    return entry;
  }

  async function subjectEncrypt(subjectId: string, context: string, plaintext: string | Buffer): Promise<string> {
    const k = await load(subjectId, true);
    return sealValue(k.secret, k.header, typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext, context);
  }

  async function subjectDecryptBuffer(subjectId: string, context: string, ciphertext: string): Promise<Buffer> {
    const p = parseCiphertext(ciphertext);
    const k = await load(subjectId, false);
    if (p.key !== `@${k.keyId}` || p.version !== 1) {
      throw keyError('CIPHERTEXT_KEY_MISMATCH', 'the ciphertext was not sealed under this subject\'s key', { subject_id: subjectId });
    }
    return openValue(k.secret, p, context);
  }

  async function subjectDecrypt(subjectId: string, context: string, ciphertext: string): Promise<string> {
    return (await subjectDecryptBuffer(subjectId, context, ciphertext)).toString('utf8');
  }

  /** Destroys the subject's key (audited, irreversible). Idempotent; leaves a tombstone so no new key is made. */
  async function shredSubject(subjectId: string, actor: Actor): Promise<{ subject_id: string; key_id: string | null; shredded_at: string; already: boolean }> {
    const out = await db.tx(async (tx) => {
      const at = clock();
      let row = await store.getSubject(tx, 'subject_id', subjectId, true);
      const already = !!row && !row.wrapped;
      if (!row) {
        const keyId = `s${randomBytes(16).toString('hex')}`;
        await store.insertSubject(tx, { key_id: keyId, subject_id: subjectId, wrapped: 'none', created_at: at });
        row = await store.getSubject(tx, 'subject_id', subjectId, true);
      }
      await store.shredSubject(tx, subjectId, at);
      const keyId = row?.key_id ?? null;
      // Destroyed before the commit: if the commit then fails the key is gone all the same (the
      // subject asked for erasure) and shredding again records it.
      if (vault && keyId) vault.destroy(keyId);
      await auditKey(ctx, tx, actor, 'keys.subject.shred', `@${keyId}`, 'success', { subject_id: subjectId, already_shredded: already });
      await emitKey(ctx, tx, actor, 'key.subject_shredded', { activity_id: 4, severity_id: 1, status: 'success',
        message: 'a data subject\'s key was destroyed (crypto-shredding)', unmapped: { subject_key: `@${keyId}` } });
      return { subject_id: subjectId, key_id: keyId, shredded_at: new Date(already && row?.shredded_at ? row.shredded_at : at).toISOString(), already };
    });
    cache.delete(subjectId);
    return out;
  }

  /**
   * Start-up housekeeping for the vault: moves keys still stored in the database into it (older
   * data folders), and destroys vault files whose key was shredded (a crash between the commit
   * and the unlink) or that belong to no row for longer than a creation can take.
   */
  async function reconcileVault(): Promise<{ moved: number; destroyed: number }> {
    if (!vault) return { moved: 0, destroyed: 0 };
    let moved = 0;
    let destroyed = 0;
    const legacy = await db.query<{ key_id: string; wrapped: string }>(
      'SELECT key_id, wrapped FROM subject_keys WHERE wrapped IS NOT NULL AND wrapped <> $1', [IN_VAULT]);
    for (const r of legacy.rows) {
      vault.put(r.key_id, r.wrapped);
      const u = await db.query('UPDATE subject_keys SET wrapped = $2 WHERE key_id = $1 AND wrapped = $3', [r.key_id, IN_VAULT, r.wrapped]);
      if (u.rowCount === 0) vault.destroy(r.key_id); // shredded meanwhile
      else moved++;
    }
    const present = vault.list();
    if (present.length) {
      const rows = await db.query<{ key_id: string; wrapped: string | null }>(
        'SELECT key_id, wrapped FROM subject_keys WHERE key_id = ANY($1::text[])', [present]);
      const byId = new Map(rows.rows.map((r) => [r.key_id, r.wrapped]));
      for (const keyId of present) {
        const w = byId.get(keyId);
        const orphanOld = w === undefined && vault.ageMs(keyId) > ORPHAN_GRACE_MS;
        if (w === null || orphanOld) { vault.destroy(keyId); destroyed++; }
      }
    }
    return { moved, destroyed };
  }

  return { subjectEncrypt, subjectDecrypt, subjectDecryptBuffer, shredSubject, reconcileVault };
}
