import { join } from 'node:path';
import type { AuditEntryInput } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { Db, Queryable } from '../db/types.js';
import type { SecurityEvent } from '../events/types.js';
import type { KeysContext } from './context.js';
import { keyError } from './errors.js';
import { createKeyring } from './keyring.js';
import { keyManagement } from './manage.js';
import { loadMasterKey } from './master.js';
import { signing } from './signer.js';
import * as store from './store.js';
import { fileSubjectVault } from './subject-vault.js';
import { subjectKeys } from './subjects.js';
import { transit } from './transit.js';
import { localWrapper, type KeyWrapper } from './wrap.js';

export type { KeyWrapper } from './wrap.js';
export type { KeyType } from './material.js';
export type { KeyInfo, KeyPatch } from './manage.js';
export type { BatchInput, BatchOutput } from './transit.js';
export type { SigningKeyPair } from './signer.js';
export { KEY_TYPES } from './material.js';
export { FIELD_KEY, MAX_BATCH } from './transit.js';
export { AUDIT_KEY, parseKid } from './signer.js';
export { keyError } from './errors.js';
export { localWrapper, keyCheckValue } from './wrap.js';
export { encryptFile, decryptFile, encryptStream, decryptStream, FILE_KEY_CONTEXT, type FileSecret, type FileKeyring } from './file.js';
export { runFileCli, type FileCliArgs } from './cli.js';
export { keysRoutes, type KeysRoutesDeps } from './routes.js';

export interface KeysDeps {
  db: Db;
  clock: Clock;
  config: {
    masterKey: string | null; masterKeyFile: string | null; dataDir: string; embedded: boolean; rotationDays: number;
    /** Folder of the subject key vault; default `<dataDir>/subject-keys` when embedded, none (keys in the database) otherwise. */
    subjectKeyDir?: string | null;
  };
  /** Appends an audit entry inside the caller's transaction (called lazily, never during createKeys). */
  audit: (tx: Queryable, entry: AuditEntryInput) => Promise<unknown>;
  emit?: (tx: Queryable, e: SecurityEvent) => Promise<void>;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** A KMS or Vault wrapper instead of the local master key (the master key config is then unused). */
  wrapper?: KeyWrapper;
  /** How long unwrapped keys are trusted before a reload picks up other processes' changes (default 30 s). */
  cacheTtlMs?: number;
}

export type Keys = Awaited<ReturnType<typeof createKeys>>;

/**
 * The keys capability: loads the master key, checks it against the key check value stored on
 * first start (a different key refuses to start: MASTER_KEY_MISMATCH), and returns the keyring.
 */
export async function createKeys(deps: KeysDeps) {
  const { db, clock, config, log } = deps;
  let wrapper = deps.wrapper;
  if (!wrapper) {
    const master = loadMasterKey(config, log);
    wrapper = localWrapper(master.key);
    master.key.fill(0);
    log.info({ source: master.source }, 'master key loaded');
  }
  const kcv = await wrapper.checkValue();
  await store.insertCheck(db, wrapper.kind, kcv, clock());
  const stored = await store.readCheck(db);
  if (!stored || stored.kcv !== kcv || stored.wrapper !== wrapper.kind) {
    throw keyError('MASTER_KEY_MISMATCH',
      'the configured master key is not the one this database was set up with (key check value differs); refusing to start rather than fail to decrypt later. Configure the original WARDEN_MASTER_KEY / WARDEN_MASTER_KEY_FILE',
      { wrapper: wrapper.kind });
  }

  const ttlMs = deps.cacheTtlMs ?? 30_000;
  const ring = createKeyring({ db, wrapper, clock, ttlMs });
  const ctx: KeysContext = { db, clock, ring, rotationDays: config.rotationDays, audit: (tx, e) => deps.audit(tx, e), emit: deps.emit };
  const manage = keyManagement(ctx);
  const ops = transit(ctx, manage);
  const sign = signing(ctx, manage);
  const vaultDir = config.subjectKeyDir ?? (config.embedded ? join(config.dataDir, 'subject-keys') : null);
  const subjects = subjectKeys(ctx, wrapper, ttlMs, vaultDir ? fileSubjectVault(vaultDir) : null);
  const reconciled = await subjects.reconcileVault();
  if (reconciled.moved || reconciled.destroyed) log.info({ ...reconciled, dir: vaultDir }, 'subject key vault reconciled');
  if (!vaultDir) {
    log.warn({}, 'subject keys are stored in the database (no WARDEN_SUBJECT_KEY_DIR): crypto-shredding does not reach database backups taken before a shredding');
  }

  return {
    createKey: manage.createKey,
    listKeys: manage.listKeys,
    getKey: manage.getKey,
    rotateKey: manage.rotateKey,
    updateKey: manage.updateKey,
    deleteKey: manage.deleteKey,
    overdueKeys: manage.overdueKeys,
    encrypt: ops.encrypt,
    decrypt: ops.decrypt,
    rewrap: ops.rewrap,
    datakey: ops.datakey,
    encryptBatch: ops.encryptBatch,
    decryptBatch: ops.decryptBatch,
    rewrapBatch: ops.rewrapBatch,
    encryptField: ops.encryptField,
    decryptField: ops.decryptField,
    encryptFieldBatch: ops.encryptFieldBatch,
    decryptFieldBatch: ops.decryptFieldBatch,
    hmac: ops.hmac,
    subjectEncrypt: subjects.subjectEncrypt,
    subjectDecrypt: subjects.subjectDecrypt,
    subjectDecryptBuffer: subjects.subjectDecryptBuffer,
    shredSubject: subjects.shredSubject,
    signer: sign.signer,
    signingKeyPair: sign.signingKeyPair,
    publicKeys: sign.publicKeys,
  };
}
