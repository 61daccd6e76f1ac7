import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP, startServer, type TestServer } from '../helpers/server.js';

describe('the HTTP edge over real HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      env: { WARDEN_BODY_LIMIT: '4096', WARDEN_CORS_ORIGINS: 'https://app.example.com' },
      beforeListen(app) {
        app.http.get('/v1/test/boom', { schema: { hide: true } }, async () => {
          throw new Error('relation "secret_table" does not exist at SELECT password FROM users');
        });
      },
    });
  });
  afterAll(async () => { await s?.close(); });

  it('reports health and readiness', async () => {
    const h = await s.req('GET', '/healthz', { token: null });
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(['pglite', 'postgres']).toContain(h.body.database);
    expect((await s.req('GET', '/readyz', { token: null })).status).toBe(200);
  });

  it('publishes OpenAPI 3 with the routes and serves /docs', async () => {
    const o = await s.req('GET', '/openapi.json', { token: null });
    expect(o.body.openapi).toMatch(/^3\./);
    expect(Object.keys(o.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/v1/audit', '/v1/audit/verify', '/v1/keys']));
    const d = await fetch(`${s.url}/docs/`);
    expect(d.status).toBe(200);
  });

  it('answers unknown routes with 404 problem details', async () => {
    const r = await s.req('GET', '/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: 'Not Found', type: expect.any(String), detail: expect.any(String) });
    expect(r.body.request_id).toBe(r.headers.get('x-request-id'));
  });

  it('never leaks a stack trace or SQL in a 500', async () => {
    const r = await s.req('GET', '/v1/test/boom');
    expect(r.status).toBe(500);
    expect(r.body.code).toBe('INTERNAL_ERROR');
    expect(r.text).not.toMatch(/secret_table|SELECT|password|at .*\.ts/);
  });

  it('refuses unknown fields and wrong types with 400 naming the field', async () => {
    const a = await s.req('POST', '/v1/keys', { body: { name: 'k1', type: 'aes256-gcm', colour: 'red' } });
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body.colour' });
    const b = await s.req('POST', '/v1/keys', { body: { name: 42, type: 'aes256-gcm' } });
    expect(b.status).toBe(400);
    expect(b.body.detail).toMatch(/name/);
    const q = await s.req('GET', '/v1/audit?limit=abc');
    expect(q.status).toBe(400);
    expect(q.body.field).toMatch(/querystring/);
  });

  it('refuses malformed JSON, wrong media types and oversized bodies', async () => {
    const m = await s.req('POST', '/v1/keys', { body: '{"name": ' });
    expect(m.status).toBe(400);
    expect(m.body.code).toBe('MALFORMED_BODY');
    const t = await s.req('POST', '/v1/keys', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(t.status).toBe(415);
    const big = await s.req('POST', '/v1/keys', { body: { name: 'x'.repeat(8000), type: 'aes256-gcm' } });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('requires a bearer credential and refuses a wrong one', async () => {
    const none = await s.req('GET', '/v1/audit', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await s.req('GET', '/v1/audit', { token: BOOTSTRAP.slice(0, -1) + 'x' });
    expect(wrong.status).toBe(401);
  });

  it('sends the security headers', async () => {
    const r = await fetch(`${s.url}/healthz`);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('strict-transport-security')).toBeNull(); // no TLS here
  });

  it('keeps CORS closed except for the configured origins', async () => {
    const bad = await fetch(`${s.url}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const good = await fetch(`${s.url}/healthz`, { headers: { origin: 'https://app.example.com' } });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('logs one line per request with its id and never the credential', async () => {
    const r = await s.req('GET', '/v1/audit?limit=1');
    const id = r.headers.get('x-request-id')!;
    await new Promise((res) => setTimeout(res, 50));
    const lines = s.logs.filter((l) => l.includes(id));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ req_id: id, method: 'GET', status: 200 });
    expect(s.logs.join('\n')).not.toContain(BOOTSTRAP);
  });
});

describe('rate limits', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startServer({ env: { WARDEN_RATE_LIMIT: '5', WARDEN_RATE_LIMIT_WINDOW_MS: '60000' } }); });
  afterAll(async () => { await s?.close(); });

  it('answers 429 with Retry-After past the per-IP limit', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<TestServer['req']>> | null = null;
    for (let i = 0; i < 7; i++) {
      last = await s.req('GET', '/v1/audit?limit=1');
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5).every((x) => x === 200)).toBe(true);
    expect(statuses[6]).toBe(429);
    expect(last!.body.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    // health probes are never limited
    expect((await s.req('GET', '/healthz', { token: null })).status).toBe(200);
  });
});
