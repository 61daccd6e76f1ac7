import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Actor } from '../audit/index.js';
import { auditKey, emitKey, type KeysContext } from './context.js';
import { keyError } from './errors.js';
import { headerFor, openValue, parseCiphertext, sealValue } from './format.js';
import type { KeyWrapper } from './wrap.js';
import * as store from './store.js';

const CACHE_MAX = 10_000;

function subjectAad(keyId: string): string {
  return `warden-subject-key:v1:${keyId}`;
}

/**
 * Per-subject keys for crypto-shredding. Each data subject gets its own AES-256-GCM key on
 * first use; values are sealed in the usual format under the name `@<key id>` (the subject id
 * itself never appears in a ciphertext). Shredding destroys the wrapped key: every value sealed
 * under it becomes unreadable, for good, and the subject can get no new key.
 */
export function subjectKeys(ctx: KeysContext, wrapper: KeyWrapper, ttlMs: number) {
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
      await db.tx(async (tx) => {
        await store.insertSubject(tx, { key_id: keyId, subject_id: subjectId, wrapped, created_at: clock() });
        const won = await store.getSubject(tx, 'subject_id', subjectId);
        if (won?.key_id === keyId) await auditKey(ctx, tx, undefined, 'keys.subject.create', `@${keyId}`, 'success', { subject_id: subjectId });
      });
      row = await store.getSubject(db, 'subject_id', subjectId);
    }
    if (!row) throw keyError('SUBJECT_KEY_NOT_FOUND', 'this subject has no key, so nothing was encrypted for it', { subject_id: subjectId });
    if (!row.wrapped) {
      cache.delete(subjectId);
      throw keyError('SUBJECT_KEY_SHREDDED', 'this subject\'s key was destroyed; its data is unrecoverable', { subject_id: subjectId });
    }
    const raw = await wrapper.unwrap(row.wrapped, subjectAad(row.key_id));
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
      await auditKey(ctx, tx, actor, 'keys.subject.shred', `@${keyId}`, 'success', { subject_id: subjectId, already_shredded: already });
      await emitKey(ctx, tx, actor, 'key.subject_shredded', { activity_id: 4, severity_id: 1, status: 'success',
        message: 'a data subject\'s key was destroyed (crypto-shredding)', unmapped: { subject_key: `@${keyId}` } });
      return { subject_id: subjectId, key_id: keyId, shredded_at: new Date(already && row?.shredded_at ? row.shredded_at : at).toISOString(), already };
    });
    cache.delete(subjectId);
    return out;
  }

  return { subjectEncrypt, subjectDecrypt, subjectDecryptBuffer, shredSubject };
}
