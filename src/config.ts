import { resolve } from 'node:path';
import { WardenError } from './errors.js';

/**
 * Typed configuration from WARDEN_* environment variables, validated once at start.
 * Every variable is documented, with its default, in the README's configuration table.
 */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  logLevel: string;
  bootstrapToken: string | null;
  corsOrigins: string[];
  trustProxy: boolean | string;
  tlsCert: string | null;
  tlsKey: string | null;
  bodyLimit: number;
  rateLimit: { max: number; windowMs: number; strictMax: number };
  redisUrl: string | null;
  audit: { retentionDays: number; checkpointEvery: number; checkpointSeconds: number };
  keys: { masterKey: string | null; masterKeyFile: string | null; rotationDays: number; subjectKeyDir: string | null };
  publicUrl: string | null;
  pii: {
    /** WARDEN_PII_CONFIG: a YAML or JSON file of phone regions and custom recognizers (see pii/config-file.ts). */
    configFile: string | null;
    /** Lifetime of a restore mapping, seconds. */
    restoreTtlSeconds: number;
    /** Longest a restore session may be continued from its first save, seconds (never below the lifetime). */
    restoreMaxLifetimeSeconds: number;
  };
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw configError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw configError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function str(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v.trim() === '' ? null : v.trim();
}

function configError(name: string, why: string): WardenError {
  return new WardenError('CONFIG_INVALID', `${name} ${why}`, 500, { variable: name });
}

function piiConfig(env: Env): Config['pii'] {
  const file = str(env, 'WARDEN_PII_CONFIG');
  const restoreTtlSeconds = int(env, 'WARDEN_PII_RESTORE_TTL', 86_400, 60, 366 * 86_400);
  const restoreMaxLifetimeSeconds = int(env, 'WARDEN_PII_RESTORE_MAX_LIFETIME', Math.max(7 * 86_400, restoreTtlSeconds), 60, 3660 * 86_400);
  if (restoreMaxLifetimeSeconds < restoreTtlSeconds) {
    throw configError('WARDEN_PII_RESTORE_MAX_LIFETIME', `must be at least WARDEN_PII_RESTORE_TTL (${restoreTtlSeconds}), got ${restoreMaxLifetimeSeconds}`);
  }
  return { configFile: file ? resolve(file) : null, restoreTtlSeconds, restoreMaxLifetimeSeconds };
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = str(env, 'WARDEN_DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw configError('WARDEN_DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const tlsCert = str(env, 'WARDEN_TLS_CERT');
  const tlsKey = str(env, 'WARDEN_TLS_KEY');
  if (!!tlsCert !== !!tlsKey) throw configError('WARDEN_TLS_CERT', 'and WARDEN_TLS_KEY must be set together');
  const tp = str(env, 'WARDEN_TRUST_PROXY');
  const trustProxy = tp === null || tp === 'false' ? false : tp === 'true' ? true : tp;
  const bootstrapToken = str(env, 'WARDEN_BOOTSTRAP_TOKEN');
  if (bootstrapToken && bootstrapToken.length < 24) {
    throw configError('WARDEN_BOOTSTRAP_TOKEN', 'must be at least 24 characters');
  }
  return {
    host: str(env, 'WARDEN_HOST') ?? '127.0.0.1',
    port: int(env, 'WARDEN_PORT', 8080, 0, 65535),
    dataDir: resolve(str(env, 'WARDEN_DATA_DIR') ?? '.warden'),
    databaseUrl,
    logLevel: str(env, 'WARDEN_LOG_LEVEL') ?? 'info',
    bootstrapToken,
    corsOrigins: (str(env, 'WARDEN_CORS_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy,
    tlsCert,
    tlsKey,
    bodyLimit: int(env, 'WARDEN_BODY_LIMIT', 1024 * 1024, 1024),
    rateLimit: {
      max: int(env, 'WARDEN_RATE_LIMIT', 600, 1),
      windowMs: int(env, 'WARDEN_RATE_LIMIT_WINDOW_MS', 60_000, 1000),
      strictMax: int(env, 'WARDEN_RATE_LIMIT_STRICT', 20, 1),
    },
    redisUrl: str(env, 'WARDEN_REDIS_URL'),
    audit: {
      retentionDays: int(env, 'WARDEN_AUDIT_RETENTION_DAYS', 400, 1),
      checkpointEvery: int(env, 'WARDEN_AUDIT_CHECKPOINT_EVERY', 1000, 1),
      checkpointSeconds: int(env, 'WARDEN_AUDIT_CHECKPOINT_SECONDS', 300, 1),
    },
    keys: {
      masterKey: str(env, 'WARDEN_MASTER_KEY'),
      masterKeyFile: str(env, 'WARDEN_MASTER_KEY_FILE'),
      rotationDays: int(env, 'WARDEN_KEY_ROTATION_DAYS', 90, 1),
      subjectKeyDir: str(env, 'WARDEN_SUBJECT_KEY_DIR') ? resolve(str(env, 'WARDEN_SUBJECT_KEY_DIR')!) : null,
    },
    publicUrl: str(env, 'WARDEN_PUBLIC_URL'),
    pii: piiConfig(env),
  };
}
