import type { Actor } from '../audit/index.js';
import { auditKey, emitKey, SYSTEM, type KeysContext } from './context.js';
import { keyError } from './errors.js';
import { checkKeyName, checkKeyType, type KeyType } from './material.js';
import * as store from './store.js';

const DAY = 86_400_000;

/** A key's metadata as shown to admins and compliance checks: never material. */
export interface KeyInfo {
  name: string;
  type: KeyType;
  latest_version: number;
  min_decryption_version: number;
  deletion_protection: boolean;
  created_at: string;
  rotated_at: string;
  rotation_due_at: string;
  overdue: boolean;
  versions?: Array<{ version: number; created_at: string; public_key_pem?: string }>;
}

export interface KeyPatch { min_decryption_version?: number; deletion_protection?: boolean }

/** Keyring management: create, rotate, update, delete, list, describe. Each change audited in its transaction. */
export function keyManagement(ctx: KeysContext) {
  const { db, clock, ring } = ctx;

  function info(r: store.KeyRow): KeyInfo {
    const due = new Date(r.rotated_at.getTime() + ctx.rotationDays * DAY);
    return {
      name: r.name, type: r.type, latest_version: r.primary_version, min_decryption_version: r.min_decryption_version,
      deletion_protection: r.deletion_protection, created_at: r.created_at.toISOString(), rotated_at: r.rotated_at.toISOString(),
      rotation_due_at: due.toISOString(), overdue: clock().getTime() >= due.getTime(),
    };
  }

  async function createKey(name: string, type: KeyType, opts: { deletion_protection?: boolean; actor?: Actor } = {}): Promise<KeyInfo> {
    checkKeyName(name);
    checkKeyType(type);
    const at = clock();
    const row: store.KeyRow = { name, type, primary_version: 1, min_decryption_version: 1,
      deletion_protection: opts.deletion_protection ?? true, created_at: at, rotated_at: at };
    await db.tx(async (tx) => {
      if (!(await store.insertKey(tx, row))) throw keyError('KEY_EXISTS', `a key named ${name} exists`, { key: name });
      await ring.addVersion(tx, name, type, 1, at);
      await auditKey(ctx, tx, opts.actor, 'keys.create', name, 'success', { type, version: 1, deletion_protection: row.deletion_protection });
      await emitKey(ctx, tx, opts.actor, 'key.created', { activity_id: 1, severity_id: 1, status: 'success', message: `key ${name} (${type}) created`, unmapped: { key: name } });
    });
    return info(row);
  }

  /** The key, created on demand with the given type (field, hmac and signing keys). */
  async function ensureKey(name: string, type: KeyType) {
    const have = ring.fresh(name) ?? (await ring.load(name));
    if (have) {
      if (have.row.type !== type) throw keyError('KEY_WRONG_TYPE', `key ${name} is ${have.row.type}, not ${type}`, { key: name });
      return have;
    }
    try {
      await createKey(name, type, { actor: SYSTEM });
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && e.code === 'KEY_EXISTS')) throw e;
    }
    return ensureKey(name, type);
  }

  async function rotateKey(name: string, actor?: Actor): Promise<KeyInfo> {
    const row = await db.tx(async (tx) => {
      const r = await store.getKey(tx, name, true);
      if (!r) throw keyError('KEY_NOT_FOUND', `no key named ${name}`, { key: name });
      const at = clock();
      const version = r.primary_version + 1;
      await ring.addVersion(tx, name, r.type, version, at);
      await store.setPrimary(tx, name, version, at);
      await auditKey(ctx, tx, actor, 'keys.rotate', name, 'success', { type: r.type, version });
      await emitKey(ctx, tx, actor, 'key.rotated', { activity_id: 3, severity_id: 1, status: 'success', message: `key ${name} rotated to version ${version}`, unmapped: { key: name, version } });
      return { ...r, primary_version: version, rotated_at: at };
    });
    await ring.load(name);
    return info(row);
  }

  async function updateKey(name: string, patch: KeyPatch, actor?: Actor): Promise<KeyInfo> {
    const row = await db.tx(async (tx) => {
      const r = await store.getKey(tx, name, true);
      if (!r) throw keyError('KEY_NOT_FOUND', `no key named ${name}`, { key: name });
      const min = patch.min_decryption_version ?? r.min_decryption_version;
      if (!Number.isInteger(min) || min < 1 || min > r.primary_version) {
        throw keyError('KEY_VERSION_INVALID', `min_decryption_version must be between 1 and the latest version ${r.primary_version}`, { key: name });
      }
      const prot = patch.deletion_protection ?? r.deletion_protection;
      await store.updateKey(tx, name, { min_decryption_version: min, deletion_protection: prot });
      await auditKey(ctx, tx, actor, 'keys.update', name, 'success', { min_decryption_version: min, deletion_protection: prot });
      await emitKey(ctx, tx, actor, 'key.updated', { activity_id: 3, severity_id: prot ? 1 : 2, status: 'success', message: `key ${name} updated`, unmapped: { key: name, min_decryption_version: min, deletion_protection: prot } });
      return { ...r, min_decryption_version: min, deletion_protection: prot };
    });
    await ring.load(name);
    return info(row);
  }

  async function deleteKey(name: string, actor?: Actor): Promise<void> {
    await db.tx(async (tx) => {
      const r = await store.getKey(tx, name, true);
      if (!r) throw keyError('KEY_NOT_FOUND', `no key named ${name}`, { key: name });
      if (r.deletion_protection) {
        throw keyError('KEY_DELETION_PROTECTED', `key ${name} is under deletion protection; turn it off first`, { key: name });
      }
      await store.deleteKey(tx, name);
      await auditKey(ctx, tx, actor, 'keys.delete', name, 'success', { type: r.type, versions: r.primary_version });
      await emitKey(ctx, tx, actor, 'key.deleted', { activity_id: 4, severity_id: 3, status: 'success', message: `key ${name} deleted with all its versions`, unmapped: { key: name } });
    });
    ring.forget(name);
  }

  async function getKey(name: string): Promise<KeyInfo> {
    const r = await store.getKey(db, name);
    if (!r) throw keyError('KEY_NOT_FOUND', `no key named ${name}`, { key: name });
    const versions = (await store.listVersionDates(db, name)).map((v) => ({
      version: v.version, created_at: v.created_at.toISOString(), ...(v.public_key ? { public_key_pem: v.public_key } : {}),
    }));
    return { ...info(r), versions };
  }

  async function listKeys(): Promise<KeyInfo[]> {
    return (await store.listKeys(db)).map(info);
  }

  /** Keys whose primary version is older than WARDEN_KEY_ROTATION_DAYS. */
  async function overdueKeys(): Promise<KeyInfo[]> {
    return (await listKeys()).filter((k) => k.overdue);
  }

  return { createKey, ensureKey, rotateKey, updateKey, deleteKey, getKey, listKeys, overdueKeys };
}
