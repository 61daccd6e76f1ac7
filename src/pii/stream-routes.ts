import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { principalKey } from '../http/guard.js';
import { isWardenError } from '../errors.js';
import { piiError } from './errors.js';
import type { Pii } from './index.js';
import { OPERATOR_NAMES } from './operators/registry.js';
import type { OperatorName } from './operators/types.js';
import type { StreamFormat } from './stream.js';
import { checkEntities } from './routes.js';
import { newRestoreToken } from './vault.js';

/**
 * `POST /v1/pii/anonymize/stream` and `POST /v1/pii/scan/stream`: a body of any size, text lines (`text/plain`) or NDJSON
 * (`application/x-ndjson`), anonymized line by line as it arrives and sent back as it is made, in
 * constant memory (one line at a time, plus the pseudonyms handed out); the scan answers NDJSON, one
 * finding per line with the (1-based) line it is on, never the value. The JSON routes stop at the
 * body limit; this one has no size limit but the longest line.
 *
 * Options are query parameters (the body is the data): `operator` (one operator for every type, as
 * the CLI's --operator), `entities` (comma-separated), `min_score`. With `pseudonymize` the whole
 * stream is one restore session: its token is sent before the data, in the `Warden-Restore-Token`
 * header, and the mapping is saved, as the caller's, once the last line is written.
 *
 * A problem found before the first output line (bad UTF-8, a line too long, invalid NDJSON, an
 * unknown entity) is answered as a problem document. After that the answer has started: the
 * connection is cut, so a client that reads to the end without an error has the whole output.
 */
export interface PiiStreamRouteDeps {
  pii: Pii;
  guard: { require(permission: string): (req: any, reply: any) => Promise<void> };
}

const FORMATS: Record<string, StreamFormat> = { 'text/plain': 'text', 'application/x-ndjson': 'ndjson' };
type Query = { operator?: OperatorName; entities?: string; min_score?: number };

/** The first output line, made before the answer starts, so that the common mistakes get a problem document. */
async function firstOf(lines: AsyncGenerator<string>, reply: FastifyReply): Promise<IteratorResult<string>> {
  try {
    return await lines.next();
  } catch (e) {
    // the rest of the body is left unread: close the connection after the problem document, or the
    // next request on it would wait behind that body
    reply.header('connection', 'close');
    throw e;
  }
}

/** Sends `first` and the rest of `lines` as they are made, then runs `done`; a failure on the way cuts the connection. */
function send(req: FastifyRequest, reply: FastifyReply, type: string, first: IteratorResult<string>, lines: AsyncGenerator<string>, done?: () => Promise<void>) {
  async function* rest(): AsyncGenerator<string> {
    try {
      if (!first.done) yield first.value;
      for (let next = await lines.next(); !next.done; next = await lines.next()) yield next.value;
      await done?.();
    } catch (e) {
      // The answer has started (or is about to: its first line is on its way), so no problem document
      // can follow: cut the connection, which a client sees as an error, never as a complete output.
      req.log.warn({ error_code: isWardenError(e) ? e.code : 'INTERNAL', line: isWardenError(e) ? e.fields.line : undefined }, 'pii stream failed after its answer started; connection cut');
      reply.raw.destroy();
    }
  }
  return reply.type(`${type}; charset=utf-8`).header('cache-control', 'no-store').send(Readable.from(rest(), { objectMode: false }));
}

export function piiStreamRoutes(deps: PiiStreamRouteDeps) {
  const { pii } = deps;

  /** The body's format (from its content type) and the checked options of the query. */
  const streamInput = (req: FastifyRequest) => {
    const format = FORMATS[(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()];
    if (!format) throw piiError('PII_INVALID_INPUT', 'send the data as text/plain (lines) or application/x-ndjson');
    const q = req.query as Query;
    const entities = q.entities?.split(',');
    if (entities) checkEntities(pii.entities, entities);
    return { format, entities, q };
  };
  return async function plugin(app: FastifyInstance): Promise<void> {
    // the body stays a stream (this plugin's parsers only; no body limit applies to it)
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(Object.keys(FORMATS), (_req, payload, done) => done(null, payload));

    const query = (extra: Record<string, unknown>) => ({
      type: 'object',
      additionalProperties: false,
      properties: {
        ...extra,
        entities: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}(,[A-Z][A-Z0-9_]{1,63}){0,63}$' },
        min_score: { type: 'number', minimum: 0, maximum: 1 },
      },
    });

    app.post('/v1/pii/anonymize/stream', {
      preHandler: deps.guard.require('use:pii'),
      schema: { querystring: query({ operator: { type: 'string', enum: OPERATOR_NAMES } }) },
    }, async (req, reply) => {
      const { format, entities, q } = streamInput(req);
      const session = pii.newSession();
      const lines = pii.anonymizeStream(req.body as AsyncIterable<Uint8Array>, {
        format, session, entities, minScore: q.min_score, operators: q.operator ? { DEFAULT: q.operator } : undefined, keepSession: q.operator === 'pseudonymize',
      });
      const first = await firstOf(lines, reply);
      const token = q.operator === 'pseudonymize' ? newRestoreToken() : undefined;
      const caller = principalKey(req);
      if (token) reply.header('warden-restore-token', token);
      // every line written: now the mapping may be kept (an answer cut short leaves none behind)
      const done = token ? () => pii.saveSession(session, token, caller).then(() => undefined) : undefined;
      return send(req, reply, format === 'ndjson' ? 'application/x-ndjson' : 'text/plain', first, lines, done);
    });

    app.post('/v1/pii/scan/stream', {
      preHandler: deps.guard.require('use:pii'),
      schema: { querystring: query({}) },
    }, async (req, reply) => {
      const { format, entities, q } = streamInput(req);
      async function* findings(): AsyncGenerator<string> {
        for await (const { line, findings: found } of pii.scanStream(req.body as AsyncIterable<Uint8Array>, { format, entities, minScore: q.min_score })) {
          for (const f of found) yield JSON.stringify({ line, ...f }) + '\n';
        }
      }
      const lines = findings();
      const first = await firstOf(lines, reply);
      return send(req, reply, 'application/x-ndjson', first, lines);
    });
  };
}
