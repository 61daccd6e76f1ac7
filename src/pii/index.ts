import type { Db, Queryable } from '../db/types.js';
import { applyOperators, type AnonymizedItem } from './anonymize.js';
import { createDetector, type DetectorConfig, type ScanOptions } from './detector.js';
import { piiError } from './errors.js';
import { LIMITS } from './input.js';
import { forEachJsonString, mapJsonStrings } from './json.js';
import { createPseudonymTable, type PseudonymTable } from './operators/pseudonymize.js';
import { planOperators, type OperatorConfig, type OperatorPlan } from './operators/registry.js';
import { DEFAULT_KEY_NAMES, type OperatorContext, type PiiCrypto, type PiiKeyNames } from './operators/types.js';
import { restoreText } from './restore.js';
import { createPiiStore, type PiiStore } from './store.js';
import { scanLines, transformLines, type LineFindings, type StreamFormat } from './stream.js';
import type { Finding } from './types.js';
import { createRestoreVault, sessionTooLarge } from './vault.js';

export { createDetector, DEFAULT_REGIONS, EU_REGIONS, DEFAULT_MIN_SCORE } from './detector.js';
export type { DetectorConfig, ScanOptions, PiiDetector } from './detector.js';
export type { CustomRecognizerConfig } from './custom.js';
export type { Finding, EntityType, LanguagePack } from './types.js';
export { BUILTIN_ENTITIES } from './types.js';
export type { PiiCrypto, PiiKeyNames, OperatorSpec, OperatorName } from './operators/types.js';
export type { OperatorConfig } from './operators/registry.js';
export { OPERATOR_NAMES } from './operators/registry.js';
export type { AnonymizedItem } from './anonymize.js';
export type { PiiStore, RestoreRecord } from './store.js';
export { createPiiStore } from './store.js';
export { createMemoryPiiStore } from './memory-store.js';
export type { PseudonymTable } from './operators/pseudonymize.js';
export type { StreamFormat, LineFindings } from './stream.js';
export { piiError } from './errors.js';
export { en } from './lang/en.js';

export interface PiiConfig extends DetectorConfig {
  keys?: Partial<PiiKeyNames>;
  /** Lifetime of a restore mapping (default 24 h). */
  restoreTtlMs?: number;
  /** Longest a restore session may be continued from its first save (default 7 days). */
  restoreMaxLifetimeMs?: number;
  /** Most characters (placeholders and values) a continued restore session may hold (default 16 Mi). */
  restoreMaxChars?: number;
}

export interface PiiDeps {
  crypto: PiiCrypto;
  /** Where restore mappings live: a PiiStore, or a Db/Queryable to build one on. */
  store?: PiiStore | Queryable | Db;
  clock?: () => Date;
  config?: PiiConfig;
}

export interface AnonymizeOptions extends ScanOptions {
  operators?: OperatorConfig;
  /** Continue a session: reuse (and extend) the pseudonyms saved under this token. */
  restoreToken?: string;
  /**
   * Who is calling (e.g. `user:ID`, `api_key:ID`): a new session is saved as theirs, and only the
   * caller that started a session may continue it. Another holder of the token could otherwise send
   * values it guesses and learn from the placeholders whether they are in the mapping.
   */
  caller?: string;
  /** An in-process session table (streams, batches); overrides restoreToken loading. */
  session?: PseudonymTable;
}

export interface AnonymizeResult {
  text: string;
  items: AnonymizedItem[];
  restoreToken?: string;
  expiresAt?: Date;
}

const isStore = (s: PiiDeps['store']): s is PiiStore => !!s && typeof (s as PiiStore).put === 'function';

export function createPii(deps: PiiDeps) {
  const config = deps.config ?? {};
  const detector = createDetector(config);
  const keys: PiiKeyNames = { ...DEFAULT_KEY_NAMES, ...config.keys };
  const clock = deps.clock ?? (() => new Date());
  const store = deps.store === undefined ? undefined : isStore(deps.store) ? deps.store : createPiiStore(deps.store);
  const vault = store && createRestoreVault({ store, crypto: deps.crypto, keyName: keys.restore, clock, ttlMs: config.restoreTtlMs ?? 24 * 3600_000, maxLifetimeMs: config.restoreMaxLifetimeMs, maxChars: config.restoreMaxChars });
  const needVault = () => {
    if (!vault) throw piiError('PII_NO_STORE', 'restore mappings need a store');
    return vault;
  };

  /** Counts the path characters a call's findings carry (LIMITS.maxPathsLength); call it once per finding. */
  const pathBudget = () => {
    let left: number = LIMITS.maxPathsLength;
    return (path: string) => {
      left -= path.length;
      if (left < 0) {
        throw piiError('PII_OUTPUT_TOO_LARGE', `the JSON paths of the findings would exceed ${LIMITS.maxPathsLength} characters (long field names above many values); send the document in parts`, { limit: LIMITS.maxPathsLength });
      }
    };
  };
  const scanJson = (value: unknown, opts: ScanOptions = {}): Array<Finding & { path: string }> => {
    const out: Array<Finding & { path: string }> = [];
    const spend = pathBudget();
    forEachJsonString(value, (s, path, field) => {
      for (const f of detector.scan(s, { ...opts, fieldHint: opts.fieldHint ?? field })) {
        spend(path);
        out.push({ ...f, path });
      }
    });
    return out;
  };

  /** Opens the pseudonym table of a call: given session, continued token, or fresh. */
  const openSession = async (opts: AnonymizeOptions) => {
    if (opts.session) return opts.session;
    if (!opts.restoreToken) return createPseudonymTable();
    const table = await needVault().load(opts.restoreToken);
    if (needVault().ownerOf(table) !== opts.caller) {
      throw piiError('PII_SESSION_NOT_OWNER', 'only the caller that started this restore session may continue it; start a new session (restoring needs only the token and restore:pii)');
    }
    return table;
  };

  const finish = async (table: PseudonymTable, reversible: boolean, opts: AnonymizeOptions): Promise<{ restoreToken?: string; expiresAt?: Date }> => {
    if (!reversible || opts.session || table.size === 0) return {};
    if (!vault) return {};
    return vault.save(table, opts.restoreToken, opts.caller);
  };

  const ctxFor = (table: PseudonymTable): OperatorContext => ({ crypto: deps.crypto, keys, pseudonyms: table });

  /**
   * The findings to anonymize: a scan's, where a finding its operator keeps is replaced by the secrets
   * inside it. The password of `https://bob:S3cret@host` belongs to the URL finding; with `keep` for
   * URL it would otherwise stay in the text although it was found.
   */
  const toAnonymize = (text: string, opts: ScanOptions, plan: OperatorPlan): Finding[] => {
    const findings = detector.scan(text, opts);
    if (!plan.keeps || (opts.entities && !opts.entities.includes('SECRET'))) return findings;
    const out: Finding[] = [];
    for (const f of findings) {
      if (f.type !== 'SECRET' && plan.forType(f.type).spec.type === 'keep') {
        const inner = detector.scan(text.slice(f.start, f.end), { ...opts, entities: ['SECRET'], fieldHint: undefined });
        if (inner.length) {
          for (const i of inner) out.push({ ...i, start: f.start + i.start, end: f.start + i.end });
          continue;
        }
      }
      out.push(f);
    }
    return out;
  };

  const anonymizeString = async (text: string, opts: AnonymizeOptions, plan: OperatorPlan, table: PseudonymTable, fieldHint?: string) =>
    applyOperators(text, toAnonymize(text, { ...opts, fieldHint: opts.fieldHint ?? fieldHint }, plan), plan, ctxFor(table));

  return {
    /** The keyring keys the operators and the restore vault use (the keys HTTP edge keeps them out of transit). */
    keyNames: keys as Readonly<PiiKeyNames>,
    entities: detector.entities,
    scan: (text: string, opts: ScanOptions = {}): Finding[] => detector.scan(text, opts),
    scanJson,

    async anonymize(text: string, opts: AnonymizeOptions = {}): Promise<AnonymizeResult> {
      const plan = planOperators(opts.operators);
      const table = await openSession(opts);
      if (plan.reversible) table.reserve(text);
      const res = await anonymizeString(text, opts, plan, table);
      return { ...res, ...(await finish(table, plan.reversible, opts)) };
    },

    async anonymizeJson(value: unknown, opts: AnonymizeOptions = {}) {
      const plan = planOperators(opts.operators);
      const table = await openSession(opts);
      // every string first: a placeholder written in a later string must not be handed out for an earlier one
      if (plan.reversible) forEachJsonString(value, (s) => table.reserve(s));
      const items: Array<AnonymizedItem & { path: string }> = [];
      const spend = pathBudget();
      const json = await mapJsonStrings(value, async (s, path, field) => {
        const res = await anonymizeString(s, opts, plan, table, field);
        for (const it of res.items) {
          spend(path);
          items.push({ ...it, path });
        }
        return res.text;
      });
      return { json, items, ...(await finish(table, plan.reversible, opts)) };
    },

    async restore(text: string, restoreToken?: string): Promise<{ text: string; restored: number }> {
      const table = restoreToken ? await needVault().load(restoreToken) : null;
      return restoreText(text, table, { crypto: deps.crypto, keys });
    },

    async restoreJson(value: unknown, restoreToken?: string): Promise<{ json: unknown; restored: number }> {
      const table = restoreToken ? await needVault().load(restoreToken) : null;
      let restored = 0;
      // one bound for the whole document: many short strings each repeating a placeholder add up
      let room: number = LIMITS.maxTextLength;
      const json = await mapJsonStrings(value, async (s) => {
        const r = await restoreText(s, table, { crypto: deps.crypto, keys }, room);
        restored += r.restored;
        room -= r.text.length;
        return r.text;
      });
      return { json, restored };
    },

    /** A pseudonym table shared by several calls (e.g. one stream); save it with saveSession. */
    newSession: (): PseudonymTable => createPseudonymTable(),
    /** Saves a session's table: a new one (optionally under a token made with newRestoreToken) as `caller`'s. */
    saveSession: (table: PseudonymTable, restoreToken?: string, caller?: string) => needVault().save(table, restoreToken, caller),

    /**
     * Anonymizes a stream of text lines or NDJSON records; yields output lines ('\n'-terminated).
     * `keepSession`: the session is to be saved under a token when the stream ends (as the HTTP stream
     * route does), so it is held to the vault's bound line by line: a client streaming distinct values
     * would otherwise grow it in memory without end, to be refused only when saving it.
     */
    anonymizeStream(source: AsyncIterable<Uint8Array | string>, opts: AnonymizeOptions & { format?: StreamFormat; maxLineBytes?: number; keepSession?: boolean } = {}) {
      const table = opts.session ?? createPseudonymTable();
      const plan = planOperators(opts.operators);
      const ctx = ctxFor(table);
      const bound = opts.keepSession ? needVault().maxChars : Infinity;
      const within = <T>(out: T): T => {
        if (table.chars > bound) throw sessionTooLarge(bound);
        return out;
      };
      // each line's own placeholders are kept from being handed out (one an earlier line was given stays that value's)
      return transformLines(source, opts.format ?? 'text', {
        text: async (line) => {
          if (plan.reversible) table.reserve(line);
          return within((await applyOperators(line, toAnonymize(line, opts, plan), plan, ctx)).text);
        },
        json: async (value) => {
          if (plan.reversible) forEachJsonString(value, (s) => table.reserve(s));
          return within(await mapJsonStrings(value, async (s, _p, field) => (await applyOperators(s, toAnonymize(s, { ...opts, fieldHint: field }, plan), plan, ctx)).text));
        },
      }, opts.maxLineBytes);
    },

    scanStream(source: AsyncIterable<Uint8Array | string>, opts: ScanOptions & { format?: StreamFormat; maxLineBytes?: number } = {}): AsyncGenerator<LineFindings> {
      return scanLines(source, opts.format ?? 'text', (l) => detector.scan(l, opts), (v) => scanJson(v, opts), opts.maxLineBytes);
    },

    purgeExpired: (): Promise<number> => (vault ? vault.purgeExpired() : Promise.resolve(0)),
  };
}

export type Pii = ReturnType<typeof createPii>;
