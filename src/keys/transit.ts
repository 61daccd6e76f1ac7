import { createHmac, randomBytes } from 'node:crypto';
import type { Actor } from '../audit/index.js';
import { isWardenError } from '../errors.js';
import { auditKey, emitKey, type KeysContext } from './context.js';
import { keyError } from './errors.js';
import { openValue, parseCiphertext, sealValue } from './format.js';
import type { LoadedKey } from './keyring.js';
import type { keyManagement } from './manage.js';

/** The default key behind encryptField/decryptField. */
export const FIELD_KEY = 'warden-fields';
export const MAX_BATCH = 1000;

export interface BatchInput { plaintext?: Buffer; ciphertext?: string; context?: string }
export type BatchOutput = { ciphertext: string } | { plaintext: Buffer } | { error: { code: string; message: string } };

function aes(k: LoadedKey): LoadedKey {
  if (k.row.type !== 'aes256-gcm') {
    throw keyError('KEY_WRONG_TYPE', `key ${k.row.name} is ${k.row.type}; encryption needs an aes256-gcm key`, { key: k.row.name });
  }
  return k;
}

/**
 * Vault-transit-style operations: encrypt, decrypt, rewrap, datakey and their batches, plus the
 * field and keyed-hash helpers the other capabilities use. With `actor` an operation is audited
 * (one entry per call or batch); internal callers omit it and audit their own business action.
 */
export function transit(ctx: KeysContext, manage: ReturnType<typeof keyManagement>) {
  const { db, ring } = ctx;

  async function sealWith(name: string, plaintext: Buffer, context?: string): Promise<string> {
    const k = aes(ring.fresh(name) ?? (await ring.get(name)));
    return sealValue(k.primary.secret!, k.primaryHeader, plaintext, context);
  }

  async function openWith(name: string, ciphertext: string, context?: string): Promise<Buffer> {
    const p = parseCiphertext(ciphertext);
    if (p.key !== name) throw keyError('CIPHERTEXT_KEY_MISMATCH', `the ciphertext belongs to key ${p.key}, not ${name}`, { key: name });
    const { key, material } = await ring.getVersion(name, p.version);
    aes(key);
    return openValue(material.secret!, p, context);
  }

  async function rewrapWith(name: string, ciphertext: string, context?: string): Promise<string> {
    const pt = await openWith(name, ciphertext, context);
    try { return await sealWith(name, pt, context); } finally { pt.fill(0); }
  }

  async function audited<T>(actor: Actor | undefined, action: string, name: string, details: Record<string, unknown>,
    run: () => Promise<T>, count?: (out: T) => Record<string, unknown>): Promise<T> {
    if (!actor) return run();
    let out: T;
    try {
      out = await run();
    } catch (e) {
      const code = isWardenError(e) ? e.code : 'INTERNAL';
      await db.tx(async (tx) => {
        await auditKey(ctx, tx, actor, action, name, 'failure', { ...details, code });
        if (code === 'DECRYPTION_FAILED') {
          await emitKey(ctx, tx, actor, 'key.decrypt_failed', { activity_id: 99, severity_id: 2, status: 'failure',
            message: `${action} with key ${name} failed authentication`, unmapped: { key: name } });
        }
      });
      throw e;
    }
    await db.tx((tx) => auditKey(ctx, tx, actor, action, name, 'success', { ...details, ...(count ? count(out) : {}) }));
    return out;
  }

  async function runBatch(items: BatchInput[], one: (i: BatchInput) => Promise<BatchOutput>): Promise<BatchOutput[]> {
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH) {
      throw keyError('BATCH_INVALID', `a batch holds 1 to ${MAX_BATCH} items`);
    }
    const out: BatchOutput[] = [];
    for (const it of items) {
      try { out.push(await one(it)); } catch (e) {
        if (!isWardenError(e)) throw e;
        out.push({ error: { code: e.code, message: e.message } });
      }
    }
    return out;
  }
  const failed = (out: BatchOutput[]) => ({ items: out.length, failed: out.filter((o) => 'error' in o).length });
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw keyError('BATCH_INVALID', `batch item lacks ${what}`);
    return v;
  };

  return {
    encrypt: (name: string, plaintext: Buffer, context?: string, actor?: Actor) =>
      audited(actor, 'keys.encrypt', name, { context_bound: !!context }, () => sealWith(name, plaintext, context)),
    decrypt: (name: string, ciphertext: string, context?: string, actor?: Actor) =>
      audited(actor, 'keys.decrypt', name, { context_bound: !!context }, () => openWith(name, ciphertext, context)),
    rewrap: (name: string, ciphertext: string, context?: string, actor?: Actor) =>
      audited(actor, 'keys.rewrap', name, { context_bound: !!context }, () => rewrapWith(name, ciphertext, context)),
    encryptBatch: (name: string, items: BatchInput[], actor?: Actor) =>
      audited(actor, 'keys.encrypt', name, { batch: true }, () => runBatch(items, async (i) =>
        ({ ciphertext: await sealWith(name, need(i.plaintext, 'plaintext'), i.context) })), failed),
    decryptBatch: (name: string, items: BatchInput[], actor?: Actor) =>
      audited(actor, 'keys.decrypt', name, { batch: true }, () => runBatch(items, async (i) =>
        ({ plaintext: await openWith(name, need(i.ciphertext, 'ciphertext'), i.context) })), failed),
    rewrapBatch: (name: string, items: BatchInput[], actor?: Actor) =>
      audited(actor, 'keys.rewrap', name, { batch: true }, () => runBatch(items, async (i) =>
        ({ ciphertext: await rewrapWith(name, need(i.ciphertext, 'ciphertext'), i.context) })), failed),

    /** A fresh 256-bit data key: plaintext for the caller's own envelope encryption, and wrapped under `name`. */
    datakey: (name: string, context?: string, actor?: Actor) =>
      audited(actor, 'keys.datakey', name, { context_bound: !!context }, async () => {
        const plaintext = randomBytes(32);
        return { plaintext, ciphertext: await sealWith(name, plaintext, context) };
      }),

    /**
     * Encrypts a field value for a store, bound to its context (e.g. `users.email.<id>`). While
     * the cached field key is fresh this is one synchronous seal (no async frame per value).
     */
    encryptField(context: string, plaintext: string): Promise<string> {
      const k = ring.fresh(FIELD_KEY);
      if (!k) return manage.ensureKey(FIELD_KEY, 'aes256-gcm').then((e) => sealValue(e.primary.secret!, e.primaryHeader, Buffer.from(plaintext, 'utf8'), context));
      try {
        return Promise.resolve(sealValue(k.primary.secret!, k.primaryHeader, Buffer.from(plaintext, 'utf8'), context));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    decryptField(context: string, ciphertext: string): Promise<string> {
      // Fast path: the field key is cached and fresh and holds the ciphertext's version (not
      // retired). Anything else takes the general path, which reloads or throws the right error.
      const k = ring.fresh(FIELD_KEY);
      if (k) {
        try {
          const p = parseCiphertext(ciphertext);
          const m = p.key === FIELD_KEY && p.version >= k.row.min_decryption_version && k.row.type === 'aes256-gcm' ? k.versions.get(p.version) : undefined;
          if (m) return Promise.resolve(openValue(m.secret!, p, context).toString('utf8'));
        } catch (e) {
          return Promise.reject(e);
        }
      }
      return (async () => {
        if (!k) await manage.ensureKey(FIELD_KEY, 'aes256-gcm');
        return (await openWith(FIELD_KEY, ciphertext, context)).toString('utf8');
      })();
    },
    async encryptFieldBatch(items: Array<{ context: string; plaintext: string }>): Promise<string[]> {
      const k = ring.fresh(FIELD_KEY) ?? (await manage.ensureKey(FIELD_KEY, 'aes256-gcm'));
      return items.map((i) => sealValue(k.primary.secret!, k.primaryHeader, Buffer.from(i.plaintext, 'utf8'), i.context));
    },
    async decryptFieldBatch(items: Array<{ context: string; ciphertext: string }>): Promise<string[]> {
      if (!ring.fresh(FIELD_KEY)) await manage.ensureKey(FIELD_KEY, 'aes256-gcm');
      const out: string[] = [];
      for (const i of items) out.push((await openWith(FIELD_KEY, i.ciphertext, i.context)).toString('utf8'));
      return out;
    },

    /** HMAC-SHA256 under the primary version of an hmac-sha256 key (created on demand). */
    async hmac(name: string, data: Buffer | string): Promise<Buffer> {
      const k = ring.fresh(name) ?? (await manage.ensureKey(name, 'hmac-sha256'));
      if (k.row.type !== 'hmac-sha256') throw keyError('KEY_WRONG_TYPE', `key ${name} is ${k.row.type}, not hmac-sha256`, { key: name });
      return createHmac('sha256', k.primary.secret!).update(data).digest();
    },
  };
}
