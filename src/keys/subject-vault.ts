import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { keyError } from './errors.js';

/**
 * Where per-subject key material lives. Crypto-shredding only reaches old database backups if
 * the subject keys are NOT in the database: a backup of the data then holds ciphertext and a
 * reference, never the (wrapped) key, so destroying the key here makes the subject's values in
 * every backup unreadable too. The vault keeps one file per key (the key wrapped by the master
 * key, so a copy of the folder alone is useless) and destroys a key by overwriting and unlinking
 * its file and syncing the folder.
 *
 * The folder must be shared by every Warden process that reads subject data (the data folder in
 * the embedded default; a shared volume when several machines serve one database) and backed up
 * on its own, with a retention no longer than the erasure deadline you promise (its backups are
 * the only place a destroyed key can survive).
 */
export interface SubjectVault {
  readonly dir: string;
  /** Stores a wrapped key durably (written, synced, renamed into place, folder synced). */
  put(keyId: string, wrapped: string): void;
  /** The wrapped key, or null when the vault has no such key (destroyed or never stored here). */
  get(keyId: string): string | null;
  /** Destroys a key for good (idempotent). */
  destroy(keyId: string): void;
  /** Key ids present in the vault. */
  list(): string[];
  /** How long ago a key file was written, in ms (Infinity when absent). */
  ageMs(keyId: string): number;
}

const KEY_ID = /^s[0-9a-f]{32}$/;

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function fileSubjectVault(dir: string): SubjectVault {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    throw keyError('SUBJECT_VAULT_UNAVAILABLE', `the subject key folder ${dir} cannot be used: ${(e as Error).message}`, { dir }, e);
  }
  const path = (keyId: string) => {
    if (!KEY_ID.test(keyId)) throw keyError('SUBJECT_VAULT_UNAVAILABLE', 'malformed subject key id', { key_id: keyId });
    return join(dir, `${keyId}.key`);
  };
  return {
    dir,
    put(keyId, wrapped) {
      const final = path(keyId);
      const tmp = `${final}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, wrapped);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, final);
      syncDir(dir);
    },
    get(keyId) {
      try {
        return readFileSync(path(keyId), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw keyError('SUBJECT_VAULT_UNAVAILABLE', `the subject key folder ${dir} cannot be read: ${(e as Error).message}`, { dir }, e);
      }
    },
    destroy(keyId) {
      const p = path(keyId);
      let fd: number | undefined;
      try {
        // Overwrite before unlinking: on a plain filesystem the blocks no longer hold the key.
        // (Copy-on-write filesystems and SSD remapping may keep old blocks; the key is wrapped
        // by the master key in any case.)
        fd = openSync(p, 'r+');
        const size = statSync(p).size;
        writeSync(fd, Buffer.alloc(size), 0, size, 0);
        fsyncSync(fd);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
      rmSync(p, { force: true });
      syncDir(dir);
    },
    ageMs(keyId) {
      try {
        return Date.now() - statSync(path(keyId)).mtimeMs;
      } catch {
        return Infinity;
      }
    },
    list() {
      return readdirSync(dir).filter((f) => f.endsWith('.key')).map((f) => f.slice(0, -4)).filter((k) => KEY_ID.test(k));
    },
  };
}
