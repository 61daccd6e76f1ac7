import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyError } from './errors.js';

export interface MasterKeyConfig {
  masterKey: string | null;
  masterKeyFile: string | null;
  dataDir: string;
  embedded: boolean;
}

export interface MasterKeyLog {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

/** Decodes base64 (or base64url) text of exactly 32 bytes. */
export function decodeMasterKey(text: string, source: string): Buffer {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    throw keyError('MASTER_KEY_INVALID', `${source} is not base64 (expected base64 of 32 random bytes)`);
  }
  const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) {
    throw keyError('MASTER_KEY_INVALID', `${source} decodes to ${key.length} bytes; it must be base64 of exactly 32 bytes`);
  }
  return key;
}

function readKeyFile(path: string, log: MasterKeyLog): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw keyError('MASTER_KEY_INVALID', `cannot read the master key file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { path }, e);
  }
  try {
    if ((statSync(path).mode & 0o077) !== 0) log.warn({ path }, 'master key file is readable by group or others; chmod 600 it');
  } catch { /* stat after read: ignore */ }
  return decodeMasterKey(raw.toString('utf8'), `master key file ${path}`);
}

/**
 * Loads the master key: WARDEN_MASTER_KEY, else WARDEN_MASTER_KEY_FILE, else (embedded mode only)
 * `<dataDir>/master.key`, generated on first start with mode 0600.
 */
export function loadMasterKey(cfg: MasterKeyConfig, log: MasterKeyLog): { key: Buffer; source: string } {
  if (cfg.masterKey) return { key: decodeMasterKey(cfg.masterKey, 'WARDEN_MASTER_KEY'), source: 'WARDEN_MASTER_KEY' };
  if (cfg.masterKeyFile) return { key: readKeyFile(cfg.masterKeyFile, log), source: cfg.masterKeyFile };
  if (!cfg.embedded) {
    throw keyError('MASTER_KEY_REQUIRED',
      'a master key is required with an external PostgreSQL database: set WARDEN_MASTER_KEY (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) or WARDEN_MASTER_KEY_FILE');
  }
  const path = join(cfg.dataDir, 'master.key');
  if (existsSync(path)) return { key: readKeyFile(path, log), source: path };
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(path, log), source: path };
    throw keyError('MASTER_KEY_INVALID', `cannot write the master key file ${path}`, { path }, e);
  }
  chmodSync(path, 0o600);
  log.warn({ path },
    `generated a new master key at ${path}. Back it up somewhere safe and separate from the database: losing it loses every encrypted value and key for good`);
  return { key, source: path };
}
