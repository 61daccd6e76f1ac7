import type { Queryable } from '../db/types.js';

/**
 * Restore mappings: one row per restore token, keyed by the SHA-256 of the token
 * (the token itself is never stored), holding the mapping encrypted under the
 * keyring's restore key, with an expiry.
 */
export interface RestoreRecord {
  id: string;
  ciphertext: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface PiiStore {
  /** Inserts or replaces. */
  put(rec: RestoreRecord): Promise<void>;
  /**
   * Replaces the mapping only if it still holds `expected` (the ciphertext it was read with): a
   * continued session writes its grown mapping without losing what a concurrent call saved.
   * Returns false when someone else saved it in between, or it is gone.
   */
  replace(rec: RestoreRecord, expected: string): Promise<boolean>;
  get(id: string): Promise<RestoreRecord | null>;
  delete(id: string): Promise<void>;
  /** Removes expired mappings; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

interface Row {
  id: string;
  ciphertext: string;
  created_at: Date | string;
  expires_at: Date | string;
}

export function createPiiStore(db: Queryable): PiiStore {
  return {
    async put(rec) {
      await db.query(
        `INSERT INTO pii_restore_mappings (id, ciphertext, created_at, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, expires_at = EXCLUDED.expires_at`,
        [rec.id, rec.ciphertext, rec.createdAt.toISOString(), rec.expiresAt.toISOString()],
      );
    },
    async replace(rec, expected) {
      const res = await db.query(
        'UPDATE pii_restore_mappings SET ciphertext = $3, expires_at = $4 WHERE id = $1 AND ciphertext = $2',
        [rec.id, expected, rec.ciphertext, rec.expiresAt.toISOString()],
      );
      return res.rowCount === 1;
    },
    async get(id) {
      const { rows } = await db.query<Row>('SELECT id, ciphertext, created_at, expires_at FROM pii_restore_mappings WHERE id = $1', [id]);
      const r = rows[0];
      return r ? { id: r.id, ciphertext: r.ciphertext, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at) } : null;
    },
    async delete(id) {
      await db.query('DELETE FROM pii_restore_mappings WHERE id = $1', [id]);
    },
    async deleteExpired(now) {
      const res = await db.query('DELETE FROM pii_restore_mappings WHERE expires_at <= $1', [now.toISOString()]);
      return res.rowCount;
    },
  };
}
