import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../http/guard.js';
import { detectError } from './errors.js';
import type { ChannelInput, Detect } from './index.js';
import { schemas } from './routes-schemas.js';
import type { AlertFilter } from './store.js';

type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface DetectRouteDeps {
  detect: Detect;
  guard: { require(permission: string): PreHandler };
}

/** Up to 10,000 events of ~1.5 KB each. */
const INGEST_BODY_LIMIT = 16 * 1024 * 1024;

/** NDJSON: one JSON object per line; blank lines ignored; a bad line fails the batch with its line number. */
function parseNdjson(text: string): unknown[] {
  const out: unknown[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    try { out.push(JSON.parse(line)); } catch {
      throw detectError('DETECT_EVENT_INVALID', `line ${n + 1} is not JSON`, { errors: [{ line: n + 1, error: 'not JSON' }] });
    }
  }
  return out;
}

/** The HTTP edge of detect: events in, rules, alerts, channels, deliveries. Register under the app root. */
export function detectRoutes(deps: DetectRouteDeps): FastifyPluginAsync {
  const { detect, guard } = deps;
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => {
      try { done(null, parseNdjson(body as string)); } catch (e) { done(e as Error, undefined); }
    });

    app.post('/v1/events', { schema: schemas.ingest, bodyLimit: INGEST_BODY_LIMIT, preHandler: guard.require('ingest:events') }, async (req, reply) => {
      const source = req.principal?.type === 'api_key' ? `api:${req.principal.id}` : 'api';
      const r = await detect.ingest(req.body as unknown[], source.slice(0, 64));
      return reply.code(202).send(r);
    });

    // ---- rules ----
    app.get('/v1/rules', { preHandler: guard.require('admin:rules') }, async () => ({ rules: await detect.listRules() }));
    app.get('/v1/rules/:id', { schema: schemas.ruleId, preHandler: guard.require('admin:rules') },
      async (req) => detect.getRule((req.params as { id: string }).id));
    app.post('/v1/rules', { schema: { body: schemas.ruleTest.body.properties.rule }, preHandler: guard.require('admin:rules') },
      async (req, reply) => reply.code(201).send(await detect.createRule(req.body, actorOf(req))));
    app.put('/v1/rules/:id', { schema: { ...schemas.ruleId, body: schemas.ruleTest.body.properties.rule }, preHandler: guard.require('admin:rules') },
      async (req) => detect.updateRule((req.params as { id: string }).id, req.body, actorOf(req)));
    app.delete('/v1/rules/:id', { schema: schemas.ruleId, preHandler: guard.require('admin:rules') },
      async (req) => detect.deleteRule((req.params as { id: string }).id, actorOf(req)));
    app.post('/v1/rules/test', { schema: schemas.ruleTest, bodyLimit: INGEST_BODY_LIMIT, preHandler: guard.require('admin:rules') }, async (req) => {
      const b = req.body as { rule: unknown; events: unknown[] };
      return detect.testRule(b.rule, b.events);
    });

    // ---- alerts ----
    app.get('/v1/alerts', { schema: schemas.alertList, preHandler: guard.require('read:alerts') },
      async (req) => ({ alerts: await detect.listAlerts(req.query as AlertFilter) }));
    app.get('/v1/alerts/:id', { schema: schemas.uuidParam, preHandler: guard.require('read:alerts') },
      async (req) => detect.getAlert((req.params as { id: string }).id));
    app.post('/v1/alerts/:id/ack', { schema: schemas.note, preHandler: guard.require('write:alerts') },
      async (req) => detect.ack((req.params as { id: string }).id, actorOf(req), (req.body as { note?: string } | null)?.note ?? null));
    app.post('/v1/alerts/:id/resolve', { schema: schemas.note, preHandler: guard.require('write:alerts') },
      async (req) => detect.resolve((req.params as { id: string }).id, actorOf(req), (req.body as { note?: string } | null)?.note ?? null));

    // ---- channels and deliveries ----
    app.get('/v1/channels', { preHandler: guard.require('admin:channels') }, async () => ({ channels: await detect.listChannels() }));
    app.post('/v1/channels', { schema: schemas.channelCreate, preHandler: guard.require('admin:channels') },
      async (req, reply) => reply.code(201).send(await detect.createChannel(req.body as ChannelInput, actorOf(req))));
    app.get('/v1/channels/:id', { schema: schemas.uuidParam, preHandler: guard.require('admin:channels') },
      async (req) => detect.getChannel((req.params as { id: string }).id));
    app.patch('/v1/channels/:id', { schema: schemas.channelPatch, preHandler: guard.require('admin:channels') },
      async (req) => detect.updateChannel((req.params as { id: string }).id, req.body as Partial<ChannelInput>, actorOf(req)));
    app.delete('/v1/channels/:id', { schema: schemas.uuidParam, preHandler: guard.require('admin:channels') }, async (req, reply) => {
      await detect.deleteChannel((req.params as { id: string }).id, actorOf(req));
      return reply.code(204).send();
    });
    app.get('/v1/deliveries', { schema: schemas.deliveryList, preHandler: guard.require('read:alerts') },
      async (req) => ({ deliveries: await detect.listDeliveries(req.query as { alert_id?: string }) }));
    app.post('/v1/deliveries/:id/retry', { schema: schemas.uuidParam, preHandler: guard.require('admin:channels') }, async (req, reply) => {
      const ok = await detect.retryDelivery((req.params as { id: string }).id);
      if (!ok) throw detectError('DETECT_ALERT_STATE', 'only a failed delivery can be retried');
      return reply.code(202).send({ retried: true });
    });
  };
}
