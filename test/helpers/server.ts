import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createTestSchema } from './db.js';

export const BOOTSTRAP = 'test-bootstrap-token-0123456789abcdef';

export interface TestServer {
  app: App;
  url: string;
  logs: string[];
  env: Record<string, string>;
  /** fetch relative to the server, JSON in and out. */
  req(method: string, path: string, opts?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  close(): Promise<void>;
}

/**
 * Starts the real Warden (createApp → listen on a free port) with its own data folder,
 * or its own schema on PostgreSQL when WARDEN_TEST_DATABASE_URL is set. Logs are captured.
 * `beforeListen` may add routes (e.g. one that throws) before the server starts.
 */
export async function startServer(opts: { env?: Record<string, string>; beforeListen?: (app: App) => Promise<void> | void } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-test-'));
  const env: Record<string, string> = {
    WARDEN_DATA_DIR: dir,
    WARDEN_PORT: '0',
    WARDEN_BOOTSTRAP_TOKEN: BOOTSTRAP,
    WARDEN_MASTER_KEY: randomBytes(32).toString('base64'),
    WARDEN_LOG_LEVEL: 'info',
    ...opts.env,
  };
  const base = process.env.WARDEN_TEST_DATABASE_URL;
  const pgSchema = base && !opts.env?.WARDEN_DATABASE_URL ? await createTestSchema(base, 's') : null;
  if (pgSchema) env.WARDEN_DATABASE_URL = pgSchema.url;
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { logs.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
  const config = loadConfig(env);
  const app = await createApp(config, { log: createLogger({ level: env.WARDEN_LOG_LEVEL, destination: sink }) });
  await opts.beforeListen?.(app);
  const url = await app.start();
  return {
    app, url, logs, env,
    async req(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const token = o.token === undefined ? BOOTSTRAP : o.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const r = await fetch(url + path, { method, headers, body });
      const text = await r.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: r.status, headers: r.headers, body: parsed, text };
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
      await pgSchema?.drop();
    },
  };
}
