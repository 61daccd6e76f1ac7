import { systemClock, type Clock } from '../clock.js';
import type { Queryable } from '../db/types.js';
import { keyError } from './errors.js';
import { headerFor } from './format.js';
import { generateMaterial, importMaterial, materialAad, type KeyType, type Material } from './material.js';
import * as store from './store.js';
import type { KeyWrapper } from './wrap.js';

/** A key with every version's material unwrapped, as kept in the in-process cache. */
export interface LoadedKey {
  row: store.KeyRow;
  versions: Map<number, Material>;
  primary: Material;
  /** `wdn:v1:<name>:<primary>:` — precomputed for the hot path. */
  primaryHeader: string;
  loadedAt: number;
}

/**
 * The keyring cache: unwrapped versions per key, so no database round trip or unwrap happens
 * per value. Entries are reloaded after `ttlMs` (other processes may rotate or retire versions)
 * and at once when a ciphertext names a version newer than the cached primary.
 */
export function createKeyring(deps: { db: Queryable; wrapper: KeyWrapper; clock: Clock; ttlMs: number }) {
  const { db, wrapper, clock, ttlMs } = deps;
  const cache = new Map<string, LoadedKey>();
  // The freshness check runs on every field operation: read the system clock without making a Date.
  const nowMs = clock === systemClock ? Date.now : () => clock().getTime();

  async function load(name: string, q: Queryable = db): Promise<LoadedKey | null> {
    const row = await store.getKey(q, name);
    if (!row) { cache.delete(name); return null; }
    const versions = new Map<number, Material>();
    for (const v of await store.listVersions(q, name)) {
      const raw = await wrapper.unwrap(v.wrapped, materialAad(name, v.version, row.type));
      versions.set(v.version, importMaterial(row.type, raw));
      raw.fill(0);
    }
    const primary = versions.get(row.primary_version);
    if (!primary) throw keyError('KEY_UNWRAP_FAILED', `key ${name} has no material for its primary version ${row.primary_version}`);
    const entry: LoadedKey = { row, versions, primary, primaryHeader: headerFor(name, row.primary_version), loadedAt: nowMs() };
    cache.set(name, entry);
    return entry;
  }

  /** The cached entry if it is fresh (synchronous: the hot path). */
  function fresh(name: string): LoadedKey | undefined {
    const e = cache.get(name);
    return e && nowMs() - e.loadedAt < ttlMs ? e : undefined;
  }

  /** The cached entry whatever its age (for synchronous signers). */
  function peek(name: string): LoadedKey | undefined {
    return cache.get(name);
  }

  async function get(name: string): Promise<LoadedKey> {
    const e = fresh(name) ?? (await load(name));
    if (!e) throw keyError('KEY_NOT_FOUND', `no key named ${name}`, { key: name });
    return e;
  }

  /** The key holding `version`, reloading once when the version is newer than the cache knows. */
  async function getVersion(name: string, version: number): Promise<{ key: LoadedKey; material: Material }> {
    let key = await get(name);
    if (!key.versions.has(version) && version > key.row.primary_version) key = (await load(name)) ?? key;
    const material = key.versions.get(version);
    if (!material) throw keyError('KEY_VERSION_INVALID', `key ${name} has no version ${version}`, { key: name, version });
    if (version < key.row.min_decryption_version) {
      throw keyError('KEY_VERSION_RETIRED', `version ${version} of key ${name} is below its min_decryption_version ${key.row.min_decryption_version}`,
        { key: name, version });
    }
    return { key, material };
  }

  /** Generates, wraps and stores a new version (inside the caller's transaction). */
  async function addVersion(q: Queryable, name: string, type: KeyType, version: number, at: Date): Promise<void> {
    const { raw, publicPem } = generateMaterial(type);
    const wrapped = await wrapper.wrap(raw, materialAad(name, version, type));
    raw.fill(0);
    await store.insertVersion(q, { name, version, wrapped, public_key: publicPem, created_at: at });
  }

  return { load, fresh, peek, get, getVersion, addVersion, forget: (name: string) => { cache.delete(name); } };
}

export type Keyring = ReturnType<typeof createKeyring>;
