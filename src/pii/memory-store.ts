import type { PiiStore, RestoreRecord } from './store.js';

/** An in-process PiiStore for tests and for the CLI (no database). Not shared across processes. */
export function createMemoryPiiStore(): PiiStore & { readonly size: number } {
  const rows = new Map<string, RestoreRecord>();
  return {
    async put(rec) {
      rows.set(rec.id, { ...rec });
    },
    async replace(rec, expected) {
      const r = rows.get(rec.id);
      if (!r || r.ciphertext !== expected) return false;
      rows.set(rec.id, { ...r, ciphertext: rec.ciphertext, expiresAt: rec.expiresAt });
      return true;
    },
    async get(id) {
      const r = rows.get(id);
      return r ? { ...r } : null;
    },
    async delete(id) {
      rows.delete(id);
    },
    async deleteExpired(now) {
      let n = 0;
      for (const [id, r] of rows) if (r.expiresAt <= now) rows.delete(id), n++;
      return n;
    },
    get size() {
      return rows.size;
    },
  };
}
