import { createHash, randomBytes } from 'node:crypto';
import { piiError } from './errors.js';
import { LIMITS } from './input.js';
import { createPseudonymTable, type PseudonymTable } from './operators/pseudonymize.js';
import type { PiiCrypto } from './operators/types.js';
import type { PiiStore, RestoreRecord } from './store.js';

/**
 * Restore tokens: `prt_` + 32 random bytes. The store keeps only the token's
 * SHA-256 and the mapping encrypted (context binds it to that id), with an expiry.
 */
export interface RestoreVault {
  /**
   * Saves a new session (no token) for `owner`, the caller that may continue it, or a continued one
   * (its token; the owner stays the one it was first saved with).
   */
  save(table: PseudonymTable, token?: string, owner?: string): Promise<{ restoreToken: string; expiresAt: Date }>;
  load(token: string): Promise<PseudonymTable>;
  /** Who started the session a loaded table belongs to (undefined: saved without a caller, e.g. by the CLI). */
  ownerOf(table: PseudonymTable): string | undefined;
  purgeExpired(): Promise<number>;
  /** Most characters a session saved under a given token may hold (VaultDeps.maxChars). */
  readonly maxChars: number;
}

export interface VaultDeps {
  store: PiiStore;
  crypto: PiiCrypto;
  keyName: string;
  clock: () => Date;
  ttlMs: number;
  /**
   * Longest a continued session lives from its first save (default 7 days, never less than ttlMs): each
   * continuation extends the expiry by ttlMs, but not past this, so a mapping in steady use still ends.
   */
  maxLifetimeMs?: number;
  /**
   * Most characters (placeholders and values) a continued session's mapping may hold (default 16 Mi).
   * Each continuation decrypts, parses and re-encrypts the whole mapping, so one continued without end
   * would grow until every call took seconds and then failed for good at the engine's string limit.
   */
  maxChars?: number;
}

const TOKEN = /^prt_[A-Za-z0-9_-]{43}$/;
/** A fresh restore token (for a session whose token must be known before it is first saved, e.g. a stream's). */
export const newRestoreToken = (): string => `prt_${randomBytes(32).toString('base64url')}`;
/** The error for a restore session grown past the vault's bound. */
export const sessionTooLarge = (limit: number) =>
  piiError('PII_SESSION_TOO_LARGE', `this restore session would hold more than ${limit} characters of placeholders and values; start a new session`, { limit });
const idOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Expired mappings are deleted while saving new ones, at most this often (nothing else may ever ask for them). */
const PURGE_EVERY_MS = 10 * 60_000;
/** Saves of one continued session that lose the race to other calls this many times in a row give up. */
const MAX_MERGES = 8;

/**
 * Adds to `theirs` (the mapping stored now) what `ours` handed out since it was loaded. A placeholder
 * both handed out for different values cannot be kept: one of the calls has already put it in its
 * answer, so that call fails (before its answer leaves) and is retried.
 */
function merge(theirs: Array<[string, string]>, ours: Array<[string, string]>): PseudonymTable {
  const stored = new Map(theirs);
  for (const [placeholder, value] of ours) {
    const had = stored.get(placeholder);
    if (had === undefined) stored.set(placeholder, value);
    else if (had !== value) throw piiError('PII_SESSION_CONFLICT', 'a concurrent request continued this restore session; retry');
  }
  return createPseudonymTable([...stored]);
}

export function createRestoreVault(deps: VaultDeps): RestoreVault {
  // The ciphertext each loaded table was read from: saving a continued session replaces exactly that
  // version, so two calls continuing one session at once cannot silently overwrite each other.
  const loadedFrom = new WeakMap<PseudonymTable, string>();
  // when the session a loaded table continues was first saved (its lifetime counts from there)
  const bornAt = new WeakMap<PseudonymTable, Date>();
  // the caller that started the session (sealed with the mapping, so it cannot be changed without the key)
  const owners = new WeakMap<PseudonymTable, string>();
  const maxLifetimeMs = Math.max(deps.ttlMs, deps.maxLifetimeMs ?? 7 * 24 * 3600_000);
  const maxChars = deps.maxChars ?? LIMITS.maxTextLength;
  let lastPurge = -Infinity;

  const seal = (id: string, table: PseudonymTable, owner: string | undefined) =>
    deps.crypto.encrypt(deps.keyName, JSON.stringify({ v: 1, entries: table.entries(), ...(owner === undefined ? {} : { owner }) }), `pii-restore:${id}`);
  const open = async (rec: RestoreRecord) =>
    JSON.parse(await deps.crypto.decrypt(deps.keyName, rec.ciphertext, `pii-restore:${rec.id}`)) as { entries: Array<[string, string]>; owner?: string };

  /** Writes a continued session over the version it was loaded from, merging what concurrent calls saved. */
  const saveContinued = async (table: PseudonymTable, base: string, rec: Omit<RestoreRecord, 'ciphertext'>) => {
    let mine = table;
    const owner = owners.get(table);
    for (let attempt = 0; attempt < MAX_MERGES; attempt++) {
      const ciphertext = await seal(rec.id, mine, owner);
      if (await deps.store.replace({ ...rec, ciphertext }, base)) {
        loadedFrom.set(table, ciphertext);
        return;
      }
      const current = await deps.store.get(rec.id);
      if (!current) throw piiError('PII_TOKEN_NOT_FOUND', 'unknown restore token');
      mine = merge((await open(current)).entries, mine.entries());
      base = current.ciphertext;
    }
    throw piiError('PII_SESSION_CONFLICT', 'a concurrent request continued this restore session; retry');
  };

  return {
    async save(table, token, owner) {
      const restoreToken = token ?? newRestoreToken();
      if (!TOKEN.test(restoreToken)) throw piiError('PII_INVALID_INPUT', 'malformed restore token');
      // a new session is bounded by the input of the call that made it; only continuing one adds up
      if (token !== undefined && table.chars > maxChars) throw sessionTooLarge(maxChars);
      const id = idOf(restoreToken);
      const now = deps.clock();
      const born = token === undefined ? undefined : bornAt.get(table);
      const expiresAt = new Date(Math.min(now.getTime() + deps.ttlMs, born ? born.getTime() + maxLifetimeMs : Infinity));
      if (now.getTime() - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = now.getTime();
        await deps.store.deleteExpired(now);
      }
      const base = token === undefined ? undefined : loadedFrom.get(table);
      if (base === undefined) {
        const ciphertext = await seal(id, table, owner);
        await deps.store.put({ id, ciphertext, createdAt: now, expiresAt });
        loadedFrom.set(table, ciphertext);
        if (owner !== undefined) owners.set(table, owner);
      } else {
        await saveContinued(table, base, { id, createdAt: born ?? now, expiresAt });
      }
      return { restoreToken, expiresAt };
    },
    async load(token) {
      if (typeof token !== 'string' || !TOKEN.test(token)) throw piiError('PII_TOKEN_NOT_FOUND', 'unknown restore token');
      const id = idOf(token);
      const rec = await deps.store.get(id);
      if (!rec) throw piiError('PII_TOKEN_NOT_FOUND', 'unknown restore token');
      if (rec.expiresAt.getTime() <= deps.clock().getTime()) {
        await deps.store.delete(id);
        throw piiError('PII_TOKEN_EXPIRED', 'restore token has expired');
      }
      const sealed = await open(rec);
      const table = createPseudonymTable(sealed.entries);
      loadedFrom.set(table, rec.ciphertext);
      if (typeof sealed.owner === 'string') owners.set(table, sealed.owner);
      bornAt.set(table, rec.createdAt);
      return table;
    },
    ownerOf: (table) => owners.get(table),
    purgeExpired: () => deps.store.deleteExpired(deps.clock()),
    maxChars,
  };
}
