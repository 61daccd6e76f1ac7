import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../http/problem.js';

export { overviewRoutes } from './overview.js';
export type { Overview, OverviewRange } from './overview.js';

export interface WebDeps {
  /** The built dashboard (web/dist by default). */
  distDir?: string;
}

/** Paths that belong to the API or the foundation: never answered with the dashboard. */
const API_PREFIXES = ['/v1/', '/v1', '/healthz', '/readyz', '/docs', '/openapi.json', '/.well-known', '/metrics', '/assets/'];

export function defaultDistDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
}

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) || path.startsWith(`${p}?`));
}

function wantsHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') || accept.includes('application/xhtml+xml');
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warden: dashboard not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5; color: #111">
<h1>The Warden dashboard is not built</h1>
<p>The API is running (see <a href="/docs">/docs</a>), but the dashboard's files are missing.
Run <code>npm install</code> (it builds the dashboard) or <code>npm run build:web</code>, then reload this page.</p>
</body></html>`;

/**
 * Serves the built dashboard: hashed assets under /assets with a one-year immutable cache,
 * index.html (never cached) at `/` and as the fallback for the dashboard's own client-side paths.
 * API paths keep their 404 problem details. A missing build never stops the server.
 */
export function webRoutes(deps: WebDeps = {}) {
  const dist = deps.distDir ?? defaultDistDir();
  const indexFile = join(dist, 'index.html');
  const assetsDir = join(dist, 'assets');
  return async (app: FastifyInstance) => {
    if (existsSync(assetsDir) && statSync(assetsDir).isDirectory()) {
      await app.register(fastifyStatic, {
        root: assetsDir,
        prefix: '/assets/',
        index: false,
        list: false,
        dotfiles: 'deny',
        preCompressed: true,
        cacheControl: true,
        maxAge: 31_536_000_000,
        immutable: true,
        schemaHide: true,
      });
    } else {
      app.log.warn({ dist }, 'the dashboard is not built: run npm run build:web');
    }

    function sendIndex(reply: FastifyReply) {
      let html: string;
      try {
        html = readFileSync(indexFile, 'utf8');
      } catch {
        return reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_BUILT);
      }
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    }

    app.get('/', { schema: { hide: true }, config: { rateLimit: 'none' } }, async (_req, reply) => sendIndex(reply));

    /** The client-side router's paths: /alerts/…, /audit … (GET with Accept: text/html only). */
    app.get('/*', { schema: { hide: true }, config: { rateLimit: 'none' } }, async (req, reply) => {
      const path = req.url.split('?')[0];
      if (isApiPath(path) || !wantsHtml(req) || /\.[a-z0-9]{1,8}$/i.test(path)) {
        return sendProblem(reply, 404, 'NOT_FOUND', `No route for ${req.method} ${path}`);
      }
      return sendIndex(reply);
    });
  };
}
