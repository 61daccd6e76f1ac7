import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createAccess } from './access/index.js';
import { accessUsersFrom } from './access/directory.js';
import { accessRoutes } from './access/routes.js';
import { type Audit, type AuditSigner, createAudit } from './audit/index.js';
import { auditRoutes } from './audit/routes.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase } from './db/index.js';
import { createDetect } from './detect/index.js';
import { detectRoutes } from './detect/routes.js';
import { createDocuments } from './documents/index.js';
import { documentsRoutes } from './documents/routes.js';
import { createEvents } from './events/index.js';
import { createGuard } from './http/guard.js';
import { healthRoutes } from './http/health.js';
import { createIdentity, identityConfigFromEnv, identityRoutes, type IdentityConfig } from './identity/index.js';
import { createMfa, mfaConfigFromEnv, mfaRoutes } from './mfa/index.js';
import { batchedCounter, dbCounter, memoryCounter, type RateCounter, redisCounter } from './http/ratelimit.js';
import { createHttp } from './http/server.js';
import { AUDIT_KEY, createKeys, FIELD_KEY } from './keys/index.js';
import { keysRoutes } from './keys/routes.js';
import { createPii, type PiiCrypto } from './pii/index.js';
import { loadPiiConfigFile } from './pii/config-file.js';
import { piiStreamRoutes } from './pii/stream-routes.js';
import { piiRoutes } from './pii/routes.js';
import { createLogger, type Logger } from './log.js';
import { VERSION } from './version.js';
import { overviewRoutes, webRoutes } from './web/index.js';

export interface AppOptions {
  log?: Logger;
  clock?: Clock;
  /** Identity settings over those read from WARDEN_* (tests lower the hashing cost). */
  identity?: Partial<IdentityConfig>;
}

/** The composition root: config → database → capabilities → HTTP. Nothing starts until start(). */
export async function createApp(config: Config, opts: AppOptions = {}) {
  const log = opts.log ?? createLogger({ level: config.logLevel });
  const clock = opts.clock ?? systemClock;
  // read before the database opens: a mistake in the file stops the start with its own message
  const piiSettings = config.pii?.configFile ? loadPiiConfigFile(config.pii.configFile) : {};
  const db = await openDatabase(config);
  const closers: Array<() => Promise<void> | void> = [];
  try {
    const events = createEvents({ db, clock, log });
    // The audit log signs checkpoints with a keyring key, and the keyring audits its own
    // operations: the signer is bound once the keyring has loaded it.
    let signer: AuditSigner | null = null;
    const lateSigner: AuditSigner = {
      keyId: () => ready().keyId(),
      sign: (m) => ready().sign(m),
      verify: (k, m, sig) => ready().verify(k, m, sig),
      publicKeys: () => ready().publicKeys(),
    };
    function ready(): AuditSigner {
      if (!signer) throw new Error('the audit signing key is not loaded yet');
      return signer;
    }
    const audit: Audit = createAudit({ db, signer: lateSigner, clock, config: config.audit, emit: events.emit });
    const keys = await createKeys({
      db, clock, log, emit: events.emit, audit: audit.append,
      config: { ...config.keys, dataDir: config.dataDir, embedded: !config.databaseUrl },
    });
    signer = await keys.signer(AUDIT_KEY);
    // Subscribes to the event outbox now, so it is registered before events.start().
    const detect = createDetect({
      db, events, audit, clock, log,
      secrets: { encrypt: (c, p) => keys.encryptField(c, p), decrypt: (c, x) => keys.decryptField(c, x) },
    });

    // The embedded database belongs to this one process (its data folder is locked): exact counters in memory.
    let strict: RateCounter = config.databaseUrl ? dbCounter(db) : memoryCounter();
    if (config.redisUrl) {
      const redis = new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
      strict = redisCounter(redis);
      closers.push(() => strict.close?.());
    }
    const general = batchedCounter(strict);
    closers.push(() => general.close?.());

    const identityConfig = { ...identityConfigFromEnv(process.env, { publicUrl: config.publicUrl, tls: !!config.tlsCert }), ...opts.identity };
    const mfa = createMfa({ db, clock, config: mfaConfigFromEnv(process.env), keys, audit: audit.append, emit: events.emit });
    const identity = createIdentity({ db, clock, config: identityConfig, keys, audit: audit.append, emit: events.emit, mfa });
    await identity.ensureAdminFromEnv();

    const pii = createPii({
      crypto: piiCryptoFrom(keys), store: db, clock,
      config: {
        ...piiSettings,
        ...(config.pii ? { restoreTtlMs: config.pii.restoreTtlSeconds * 1000, restoreMaxLifetimeMs: config.pii.restoreMaxLifetimeSeconds * 1000 } : {}),
      },
    });

    // Every permission check goes through access: current roles (cached ~2 s), denials audited and emitted.
    const access = await createAccess({ db, clock, audit, events, users: accessUsersFrom(identity) });
    const documents = createDocuments({ db, clock, access, audit, events, crypto: { encryptField: keys.encryptField, decryptField: keys.decryptField } });

    const guard = createGuard({
      bootstrapToken: config.bootstrapToken, bootstrapOpen: identity.bootstrapOpen, authenticate: identity.authenticate,
      authorize: (p, permission, req) => access.authorize(p, permission, req),
    });
    const http: FastifyInstance = await createHttp({ config, log, counters: { strict, general }, version: VERSION });
    await http.register(healthRoutes({ db, version: VERSION }));
    await http.register(auditRoutes({ audit, guard }));
    // keys Warden encrypts or signs with itself never answer the transit API
    const reserved = new Set<string>([FIELD_KEY, AUDIT_KEY, identityConfig.signingKey, ...Object.values(pii.keyNames)]);
    await http.register(keysRoutes({ keys, guard, reserved }));
    await http.register(piiRoutes({ pii, guard, audit: audit.record }));
    await http.register(piiStreamRoutes({ pii, guard }));
    await http.register(detectRoutes({ detect, guard }));
    await http.register(identityRoutes({
      identity, guard, cookie: { maxAge: identityConfig.refreshTtl, secure: !!config.tlsCert },
      grants: (actor, wanted, current, o) => access.assertMayAssign(actor, wanted, current, o),
    }));
    await http.register(mfaRoutes({ mfa, guard, labelOf: async (id) => (await identity.getUser(id))?.email ?? null, onConfirmed: identity.markSessionMfa }));
    await http.register(accessRoutes({ access, guard }));
    await http.register(documentsRoutes({ documents, guard }));
    await http.register(overviewRoutes({ db, guard, now: () => clock() }));
    // The dashboard at `/` (after every API route: it answers only GET paths no route claims).
    await http.register(webRoutes());

    const capabilities = { config, log, clock, db, events, audit, keys, identity, mfa, pii, detect, access, documents, guard, http };
    return {
      ...capabilities,
      /** Starts background work (event delivery, checkpoints) and listens. */
      async start(): Promise<string> {
        events.start();
        audit.start();
        await identity.start();
        detect.start();
        return http.listen({ host: config.host, port: config.port });
      },
      async close(): Promise<void> {
        await http.close();
        audit.stop();
        identity.stop();
        await detect.stop();
        await events.stop();
        for (const c of closers.reverse()) await c();
        await db.close();
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    await db.close();
    throw e;
  }
}

export type App = Awaited<ReturnType<typeof createApp>>;

/** PII's keyed operators on the keyring: its keys are created on first use. */
function piiCryptoFrom(keys: Awaited<ReturnType<typeof createKeys>>): PiiCrypto {
  const ensured = new Map<string, Promise<unknown>>();
  const ensure = (name: string) => {
    let p = ensured.get(name);
    if (!p) {
      p = keys.getKey(name).catch(() => keys.createKey(name, 'aes256-gcm').catch(() => keys.getKey(name)));
      ensured.set(name, p);
    }
    return p;
  };
  return {
    hmac: (name, data) => keys.hmac(name, data),
    async encrypt(name, plaintext, context) {
      await ensure(name);
      return keys.encrypt(name, Buffer.from(plaintext, 'utf8'), context);
    },
    async decrypt(name, ciphertext, context) {
      await ensure(name);
      return (await keys.decrypt(name, ciphertext, context)).toString('utf8');
    },
  };
}
