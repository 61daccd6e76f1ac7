import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AuditEntryInput } from '../audit/chain.js';
import { isWardenError } from '../errors.js';
import { actorOf, principalKey } from '../http/guard.js';
import { piiError } from './errors.js';
import type { AnonymizeOptions, Pii } from './index.js';
import { decodeUtf8 } from './input.js';
import { jsonMemberSource, repeatedFieldName, spliceJsonStrings } from './json.js';
import { OPERATOR_NAMES, type OperatorConfig } from './operators/registry.js';
import type { OperatorSpec } from './operators/types.js';
import type { Finding } from './types.js';

/** The HTTP edge of pii. Found values leave only when `include_values: true`; nothing here logs them. */
export interface PiiRouteDeps {
  pii: Pii;
  guard: { require(permission: string): (req: any, reply: any) => Promise<void> };
  /**
   * Records each restore (re-identification) in the audit log: who, which mapping (a digest of the
   * token, never the token), how many values came back, or why it was refused. Never the values.
   */
  audit?: (entry: AuditEntryInput) => Promise<unknown>;
}

const MAX_TEXT = 1_000_000;
const ENTITY = { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$' } as const;
const input = {
  text: { type: 'string', maxLength: MAX_TEXT },
  json: {},
} as const;
const scanOpts = {
  // at least one: an empty list would find nothing, and an anonymize call would hand the text back unchanged
  entities: { type: 'array', items: ENTITY, minItems: 1, maxItems: 64, uniqueItems: true },
  min_score: { type: 'number', minimum: 0, maximum: 1 },
  allow_list: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 512 }, maxItems: 1000 },
} as const;
// A name, or an object with its options. if/then/else rather than anyOf: a bad option is then
// reported as itself (`keep_last: must be >= 0`), not as "must be string" from the other branch.
const operatorSpec = {
  if: { type: 'string' },
  then: { enum: OPERATOR_NAMES },
  else: {
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: {
      type: { type: 'string', enum: OPERATOR_NAMES },
      value: { type: 'string', maxLength: 200 },
      keep_last: { type: 'integer', minimum: 0, maximum: 64 },
      char: { type: 'string', minLength: 1, maxLength: 2 },
      length: { type: 'integer', minimum: 8, maximum: 64 },
    },
  },
} as const;
const finding = {
  type: 'object',
  required: ['type', 'start', 'end', 'score'],
  properties: {
    type: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, score: { type: 'number' },
    subtype: { type: 'string' }, path: { type: 'string' }, value: { type: 'string' },
  },
} as const;
const item = {
  type: 'object',
  required: ['type', 'start', 'end', 'operator'],
  properties: { type: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, operator: { type: 'string' }, path: { type: 'string' } },
} as const;
const RESTORE_TOKEN = { type: 'string', pattern: '^prt_[A-Za-z0-9_-]{43}$' } as const;

type Body = { text?: string; json?: unknown; entities?: string[]; min_score?: number; allow_list?: string[]; include_values?: boolean; operators?: Record<string, unknown>; restore_token?: string };

function oneInput(b: Body): 'text' | 'json' {
  const hasText = typeof b.text === 'string';
  const hasJson = b.json !== undefined;
  if (hasText === hasJson) throw piiError('PII_INVALID_INPUT', 'give exactly one of text or json');
  return hasText ? 'text' : 'json';
}

/**
 * Entity types named in the request must exist, even where no string is scanned (a typo is not "nothing
 * found"). `DEFAULT` names the other types only as an operators key, never in `entities`.
 */
export function checkEntities(known: readonly string[], entities: readonly string[], operatorKeys: readonly string[] = []): void {
  for (const e of [...entities, ...operatorKeys.filter((k) => k !== 'DEFAULT')]) {
    if (!known.includes(e)) throw piiError('PII_UNKNOWN_ENTITY', `unknown entity type ${e}`, { entity: e });
  }
}

function toOperators(raw: Body['operators']): OperatorConfig | undefined {
  if (!raw) return undefined;
  const out: OperatorConfig = {};
  for (const [type, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[type] = v as OperatorSpec['type'];
    else {
      const { keep_last, ...rest } = v as { keep_last?: number; type: string };
      out[type] = { ...rest, ...(keep_last !== undefined ? { keepLast: keep_last } : {}) } as OperatorSpec;
    }
  }
  return out;
}

/** Value of a finding, from the text or from the JSON string at its path. */
function valueOf(f: Finding & { path?: string }, text: string | undefined, json: unknown): string {
  if (text !== undefined) return text.slice(f.start, f.end);
  let v: unknown = json;
  for (const seg of (f.path ?? '').split('/').slice(1)) v = (v as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return String(v).slice(f.start, f.end);
}

/**
 * The `json` member of an answer, written as the client wrote it but for the changed strings: through
 * JSON.parse and JSON.stringify an integer beyond 2^53 would come back rounded (a card or account
 * number sent as a number, silently changed), 1e400 as null, 1.0 as 1.
 */
function writeJsonMember(rawBody: string | undefined, updated: unknown): string {
  const source = rawBody === undefined ? undefined : jsonMemberSource(rawBody, 'json');
  const written = source === undefined ? JSON.stringify(updated) : spliceJsonStrings(source, updated);
  if (written === null) throw repeatedFieldName();
  return written;
}

/** Sends `{"json": <written>, ...rest}` as it is (the route's response schema would re-serialize the member). */
const sendJsonAnswer = (reply: FastifyReply, written: string, rest: Record<string, unknown>) =>
  reply.type('application/json; charset=utf-8').send(`{"json":${written},${JSON.stringify(rest).slice(1)}`);

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const forbiddenName = () =>
  piiError('PII_INVALID_JSON', 'a field named "__proto__" (or "prototype" inside "constructor") is refused over HTTP, though the JSON is valid; rename it');

export function piiRoutes(deps: PiiRouteDeps) {
  const { pii } = deps;
  /** The decoded text of each request's body, for writeJsonMember. */
  const rawBodies = new WeakMap<object, string>();
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Bodies are decoded strictly here: the default parser turns invalid UTF-8 into U+FFFD, which
    // would be scanned and anonymized as if the client had sent it.
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      let text: string;
      try {
        text = decodeUtf8(body as Buffer);
      } catch (e) {
        return done(e as Error, undefined);
      }
      rawBodies.set(req, text);
      parseJson(req, text, (err, parsed) => {
        // the parser refuses field names that could alter objects merging the body later, but calls the
        // body "not valid JSON" then, as it does for broken JSON: a body JSON.parse takes was refused for them
        if (err && (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' && isJson(text)) return done(forbiddenName(), undefined);
        done(err, parsed);
      });
    });

    app.post('/v1/pii/scan', {
      preHandler: deps.guard.require('use:pii'),
      schema: {
        body: { type: 'object', additionalProperties: false, properties: { ...input, ...scanOpts, include_values: { type: 'boolean' } } },
        response: { 200: { type: 'object', required: ['entities'], properties: { entities: { type: 'array', items: finding } } } },
      },
    }, async (req) => {
      const b = req.body as Body;
      const kind = oneInput(b);
      checkEntities(pii.entities, b.entities ?? []);
      // the parser kept only the last value of a repeated field name: the earlier one would go unscanned,
      // and a document holding PII reported clean
      if (kind === 'json') writeJsonMember(rawBodies.get(req), b.json);
      const opts = { entities: b.entities, minScore: b.min_score, allowList: b.allow_list };
      const found: Array<Finding & { path?: string }> = kind === 'text' ? pii.scan(b.text!, opts) : pii.scanJson(b.json, opts);
      const entities = b.include_values ? found.map((f) => ({ ...f, value: valueOf(f, b.text, b.json) })) : found;
      return { entities };
    });

    app.post('/v1/pii/anonymize', {
      preHandler: deps.guard.require('use:pii'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { ...input, ...scanOpts, operators: { type: 'object', maxProperties: 64, additionalProperties: operatorSpec }, restore_token: RESTORE_TOKEN },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { text: { type: 'string' }, json: {}, items: { type: 'array', items: item }, restore_token: { type: 'string' }, expires_at: { type: 'string' } },
          },
        },
      },
    }, async (req, reply) => {
      const b = req.body as Body;
      const kind = oneInput(b);
      checkEntities(pii.entities, b.entities ?? [], Object.keys(b.operators ?? {}));
      // a body that could not be written back is refused before any work (and before a mapping is saved)
      if (kind === 'json') writeJsonMember(rawBodies.get(req), b.json);
      const opts: AnonymizeOptions = { entities: b.entities, minScore: b.min_score, allowList: b.allow_list, operators: toOperators(b.operators), restoreToken: b.restore_token, caller: principalKey(req) };
      const res = kind === 'text' ? await pii.anonymize(b.text!, opts) : await pii.anonymizeJson(b.json, opts);
      const { restoreToken, expiresAt, ...rest } = res as typeof res & { restoreToken?: string; expiresAt?: Date; json?: unknown };
      const out = { ...rest, ...(restoreToken ? { restore_token: restoreToken, expires_at: expiresAt!.toISOString() } : {}) };
      if (kind === 'text') return out;
      const { json, ...others } = out as typeof out & { json: unknown };
      return sendJsonAnswer(reply, writeJsonMember(rawBodies.get(req), json), others);
    });

    app.post('/v1/pii/restore', {
      preHandler: deps.guard.require('restore:pii'),
      schema: {
        body: { type: 'object', additionalProperties: false, properties: { ...input, restore_token: RESTORE_TOKEN } },
        response: { 200: { type: 'object', required: ['restored'], properties: { text: { type: 'string' }, json: {}, restored: { type: 'integer' } } } },
      },
    }, async (req, reply) => {
      const b = req.body as Body;
      const kind = oneInput(b);
      const record = (outcome: 'success' | 'failure', details: Record<string, unknown>) =>
        deps.audit?.({ actor: actorOf(req), action: 'pii.restore', outcome, details: { input: kind, ...details },
          target: { type: 'pii_restore_mapping', id: b.restore_token ? createHash('sha256').update(b.restore_token).digest('hex').slice(0, 16) : null } });
      try {
        if (kind === 'text') {
          const out = await pii.restore(b.text!, b.restore_token);
          await record('success', { restored: out.restored });
          return out;
        }
        const out = await pii.restoreJson(b.json, b.restore_token);
        // written before the audit entry: a body that cannot be written back is a failure, not a restore
        const written = writeJsonMember(rawBodies.get(req), out.json);
        await record('success', { restored: out.restored });
        return sendJsonAnswer(reply, written, { restored: out.restored });
      } catch (e) {
        await record('failure', { code: isWardenError(e) ? e.code : 'INTERNAL' });
        throw e;
      }
    });
  };
}
