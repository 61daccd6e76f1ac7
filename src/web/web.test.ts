import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProblemHandlers } from '../http/problem.js';
import { defaultDistDir, webRoutes } from './index.js';

/** A fake build: index.html with an external module script, one hashed asset (and its .gz). */
function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, 'assets/index-abc123.js'), 'console.log("warden")\n'.repeat(100));
  return dir;
}

async function serve(distDir: string) {
  const app = Fastify();
  installProblemHandlers(app);
  app.get('/v1/real', async () => ({ ok: true }));
  await app.register(webRoutes({ distDir }));
  await app.ready();
  return app;
}

describe('serving the dashboard', () => {
  let dist: string;
  let app: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => { dist = fakeDist(); app = await serve(dist); });
  afterAll(async () => { await app.close(); rmSync(dist, { recursive: true, force: true }); });

  it('serves index.html at / without caching', async () => {
    const r = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.body).toContain('<div id="root">');
  });

  it('serves hashed assets for a year, immutable', async () => {
    const r = await app.inject({ url: '/assets/index-abc123.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['content-type']).toMatch(/javascript/);
  });

  it('falls back to index.html for the client-side routes of a browser', async () => {
    for (const url of ['/alerts', '/alerts/0b7c6a2e-9b55-4b43-8f43-3d7c9f1c2a10', '/audit?action=auth.login', '/documents']) {
      const r = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('<div id="root">');
    }
  });

  it('keeps problem details for API paths, missing assets and non-HTML clients', async () => {
    const html = { accept: 'text/html' };
    for (const [url, headers] of [['/v1/nothing', html], ['/v1', html], ['/healthz/x', html], ['/docs/nope.js', {}], ['/.well-known/nope', html],
      ['/openapi.json/x', html], ['/assets/missing-123.js', html], ['/alerts', { accept: 'application/json' }]] as const) {
      const r = await app.inject({ url, headers });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    expect((await app.inject({ url: '/v1/real' })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'POST', url: '/alerts', headers: { accept: 'text/html' } })).statusCode).toBe(404);
  });

  it('starts without a build and says so at /', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'warden-web-none-'));
    const bare = await serve(join(empty, 'dist'));
    const r = await bare.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(503);
    expect(r.body).toMatch(/dashboard is not built/);
    expect(r.body).toMatch(/npm run build:web/);
    expect(r.body).not.toMatch(/<script/);
    expect((await bare.inject({ url: '/v1/nothing' })).statusCode).toBe(404);
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  });
});

describe.runIf(existsSync(join(defaultDistDir(), 'index.html')))('the real build', () => {
  it('has no inline script (the CSP allows script-src self only) and hashed assets', () => {
    const html = readFileSync(join(defaultDistDir(), 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/assets\/[\w-]+-[\w-]{8}\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
  });

  it('keeps the first page (shell + overview with its charts) under 300 KB gzipped', () => {
    const assets = join(defaultDistDir(), 'assets');
    const first = readdirSync(assets).filter((f) => /^(index|Overview|OverviewCharts)-[\w-]+\.(js|css)$/.test(f));
    expect(first.filter((f) => f.startsWith('OverviewCharts-'))).toHaveLength(1);
    const gz = first.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
    expect(gz).toBeLessThan(300 * 1024);
    const shell = first.filter((f) => f.startsWith('index-')).reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
    expect(shell).toBeLessThan(120 * 1024); // sign-in page: no charts
  });
});
