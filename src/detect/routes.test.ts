import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types.js';
import { createGuard } from '../http/guard.js';
import { httpError } from '../http/errors.js';
import { installProblemHandlers } from '../http/problem.js';
import { openTestDb } from '../../test/helpers/db.js';
import { openProcess } from './fakes.test-helpers.js';
import { detectRoutes } from './routes.js';

let db: Db;
let app: FastifyInstance;
let p: ReturnType<typeof openProcess>;
const ALL = ['ingest:events', 'read:alerts', 'write:alerts', 'admin:rules', 'admin:channels'];
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  db = await openTestDb();
  p = openProcess(db);
  app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } } }); // as src/http/server.ts
  installProblemHandlers(app);
  const guard = createGuard({
    bootstrapToken: null,
    authenticate: async (cred) => (cred === 'admin' ? { type: 'user', id: 'u1', roles: ALL } : cred === 'ingest' ? { type: 'api_key', id: 'k1', roles: ['ingest:events'] } : null),
    authorize: (pr, perm) => { if (!pr.roles.includes(perm)) throw httpError('FORBIDDEN', `missing ${perm}`); },
  });
  await app.register(detectRoutes({ detect: p.detect, guard }));
  await app.ready();
});
afterAll(async () => { await app?.close(); await db?.close(); });

describe('detect routes', () => {
  it('POST /v1/events takes a JSON array or NDJSON with an ingest key, and nothing without', async () => {
    const evs = [1, 2, 3, 4, 5].map((s) => ({ type: 'auth.login.failure', time: `2026-03-01T12:00:0${s}Z`, user: 'zoe', src_ip: '192.0.2.50', outcome: 'failure' }));
    const r1 = await app.inject({ method: 'POST', url: '/v1/events', headers: auth('ingest'), payload: evs.slice(0, 2) });
    expect(r1.statusCode).toBe(202);
    expect(r1.json()).toEqual({ accepted: 2 });
    const nd = evs.slice(2).map((e) => JSON.stringify(e)).join('\n') + '\n';
    const r2 = await app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: nd });
    expect(r2.json()).toEqual({ accepted: 3 });
    const bad = await app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: '{"type":"x"}\n{oops\n' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'DETECT_EVENT_INVALID' });
    expect((await app.inject({ method: 'POST', url: '/v1/events', payload: evs })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/alerts', headers: auth('ingest') })).statusCode).toBe(403);
    await p.events.drain();

    const list = await app.inject({ method: 'GET', url: '/v1/alerts?rule=brute_force_user&status=open', headers: auth('admin') });
    const [alert] = list.json().alerts;
    expect(alert).toMatchObject({ key: { user: 'zoe' }, count: 5, severity: 'high' });
    const one = await app.inject({ method: 'GET', url: `/v1/alerts/${alert.id}`, headers: auth('admin') });
    expect(one.json().events).toHaveLength(5);
    expect(one.json().events[0].source).toBe('api:k1');
    const ack = await app.inject({ method: 'POST', url: `/v1/alerts/${alert.id}/ack`, headers: auth('admin'), payload: { note: 'on it' } });
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledged: { by: 'user:u1', note: 'on it' } });
    const res = await app.inject({ method: 'POST', url: `/v1/alerts/${alert.id}/resolve`, headers: auth('admin') });
    expect(res.json().status).toBe('resolved');
    const again = await app.inject({ method: 'POST', url: `/v1/alerts/${alert.id}/resolve`, headers: auth('admin') });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
  });

  it('rules: list, test, create with closed schemas', async () => {
    const rules = (await app.inject({ method: 'GET', url: '/v1/rules', headers: auth('admin') })).json().rules;
    expect(rules.map((r: { id: string }) => r.id)).toContain('brute_force_success');
    const rule = { kind: 'event_count', severity: 'low', window: 60, group_by: ['user'], match: { type: 'x.fail' }, condition: { gte: 2 } };
    const t = await app.inject({ method: 'POST', url: '/v1/rules/test', headers: auth('admin'),
      payload: { rule, events: [{ type: 'x.fail', user: 'a', time: '2026-03-01T12:00:00Z' }, { type: 'x.fail', user: 'a', time: '2026-03-01T12:00:59Z' }] } });
    expect(t.json().alerts).toHaveLength(1);
    const unknown = await app.inject({ method: 'POST', url: '/v1/rules', headers: auth('admin'), payload: { ...rule, id: 'x_fail', regex: '.*' } });
    expect(unknown.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const created = await app.inject({ method: 'POST', url: '/v1/rules', headers: auth('admin'), payload: { ...rule, id: 'x_fail' } });
    expect(created.statusCode).toBe(201);
    const invalid = await app.inject({ method: 'POST', url: '/v1/rules', headers: auth('admin'), payload: { ...rule, id: 'y_fail', match: { type: { regex: 'a' } } } });
    expect(invalid.json()).toMatchObject({ code: 'DETECT_RULE_INVALID' });
  });

  it('channels never return a secret after creation', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/channels', headers: auth('admin'),
      payload: { name: 'hook', kind: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } } });
    expect(r.statusCode).toBe(201);
    const secret = r.json().secret;
    expect(secret).toMatch(/^whsec_/);
    const got = await app.inject({ method: 'GET', url: `/v1/channels/${r.json().id}`, headers: auth('admin') });
    expect(got.body).not.toContain(secret);
    expect(got.json()).toMatchObject({ has_secret: true, kind: 'webhook' });
    const patched = await app.inject({ method: 'PATCH', url: `/v1/channels/${r.json().id}`, headers: auth('admin'), payload: { secret: 'whsec_' + Buffer.from('n'.repeat(32)).toString('base64') } });
    expect(patched.body).not.toContain('whsec_');
    expect((await app.inject({ method: 'DELETE', url: `/v1/channels/${r.json().id}`, headers: auth('admin') })).statusCode).toBe(204);
  });
});
