import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Guard } from '../http/guard.js';
import { auditError } from './errors.js';
import { type Audit, present } from './index.js';
import type { AuditFilter } from './store.js';

const entrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' }, occurred_at: { type: 'string' },
    actor: { type: 'object', properties: { type: { type: 'string' }, id: { type: ['string', 'null'] }, ip: { type: ['string', 'null'] }, user_agent: { type: ['string', 'null'] } } },
    action: { type: 'string' },
    target: { type: ['object', 'null'], properties: { type: { type: 'string' }, id: { type: ['string', 'null'] } } },
    outcome: { type: 'string' }, details: { type: 'object', additionalProperties: true }, hash: { type: 'string' },
  },
} as const;

const filterQuery = {
  from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
  actor: { type: 'string', maxLength: 200 }, action: { type: 'string', maxLength: 200 },
  target: { type: 'string', maxLength: 200 }, outcome: { type: 'string', enum: ['success', 'failure', 'denied'] },
} as const;

function toFilter(q: Record<string, string | undefined>): AuditFilter {
  const f: AuditFilter = { actor: q.actor, action: q.action, target: q.target, outcome: q.outcome };
  if (q.from) f.from = new Date(q.from);
  if (q.to) f.to = new Date(q.to);
  if (f.from && f.to && f.from > f.to) throw auditError('AUDIT_BAD_FILTER', '"from" is after "to"');
  return f;
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s; // no formula injection in spreadsheets
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditRoutes(deps: { audit: Audit; guard: Guard }) {
  const { audit, guard } = deps;
  return async (app: FastifyInstance) => {
    app.get('/v1/audit', {
      preHandler: guard.require('read:audit'),
      schema: {
        tags: ['audit'], summary: 'Query the audit log (newest first, cursor pagination)',
        querystring: { type: 'object', additionalProperties: false, properties: { ...filterQuery, cursor: { type: 'string', maxLength: 20 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: { 200: { type: 'object', properties: { entries: { type: 'array', items: entrySchema }, next_cursor: { type: ['string', 'null'] } } } },
      },
    }, async (req) => {
      const q = req.query as Record<string, string | undefined> & { limit: number };
      return audit.query(toFilter(q), q.cursor, q.limit);
    });

    app.get('/v1/audit/verify', {
      preHandler: guard.require('read:audit'),
      schema: {
        tags: ['audit'], summary: 'Walk the chain and its signed checkpoints',
        querystring: { type: 'object', additionalProperties: false, properties: { exact: { type: 'boolean', default: false } } },
        response: { 200: { type: 'object', properties: {
          ok: { type: 'boolean' }, entries: { type: 'integer' }, head_seq: { type: 'integer' }, head_hash: { type: 'string' },
          checkpoints: { type: 'integer' }, broken_seq: { type: 'integer' }, reason: { type: 'string' }, detail: { type: 'string' } } } },
      },
    }, async (req) => audit.verify({ exact: (req.query as { exact: boolean }).exact }));

    app.get('/v1/audit/public-key', {
      schema: {
        tags: ['audit'], summary: 'Public keys that verify checkpoint signatures', security: [],
        response: { 200: { type: 'object', properties: { keys: { type: 'array', items: { type: 'object', properties: { key_id: { type: 'string' }, algorithm: { type: 'string' }, public_key_pem: { type: 'string' } } } } } } },
      },
    }, async () => ({ keys: audit.publicKeys() }));

    app.get('/v1/audit/export', {
      preHandler: guard.require('read:audit'),
      schema: {
        tags: ['audit'], summary: 'Stream matching entries as JSON lines or CSV (oldest first)',
        querystring: { type: 'object', additionalProperties: false, properties: { ...filterQuery, format: { type: 'string', enum: ['jsonl', 'csv'], default: 'jsonl' } } },
      },
    }, async (req, reply) => {
      const q = req.query as Record<string, string | undefined>;
      const filter = toFilter(q);
      const p = req.principal!;
      await audit.record({ actor: { type: p.type, id: p.id, ip: req.ip, user_agent: req.headers['user-agent'] },
        action: 'audit.export', outcome: 'success', details: { format: q.format, filter: q } });
      const csv = q.format === 'csv';
      reply.type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
        .header('content-disposition', `attachment; filename="warden-audit.${csv ? 'csv' : 'jsonl'}"`);
      async function* body() {
        if (csv) yield 'seq,occurred_at,actor_type,actor_id,actor_ip,action,target_type,target_id,outcome,details,hash\n';
        for await (const e of audit.iterate(filter)) {
          yield csv
            ? [e.seq, e.occurred_at, e.actor.type, e.actor.id, e.actor.ip, e.action, e.target?.type, e.target?.id, e.outcome, e.details, e.hash].map(csvCell).join(',') + '\n'
            : JSON.stringify(e) + '\n';
        }
      }
      return reply.send(Readable.from(body()));
    });
  };
}

export { present };
