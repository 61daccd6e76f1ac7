import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../app.js';
import { manualClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { createTestSchema } from '../../test/helpers/db.js';
import type { IdentityConfig } from './config.js';

export interface Call { status: number; headers: Record<string, unknown>; body: any; cookies: Array<{ name: string; value: string }> }

/**
 * The whole Warden (createApp) for identity/MFA tests over HTTP via inject: its own data folder
 * or PostgreSQL schema, a manual clock, captured log lines, cheap hashing unless told otherwise.
 */
export async function identityTestApp(opts: { env?: Record<string, string>; identity?: Partial<IdentityConfig> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'warden-id-'));
  const env: Record<string, string> = {
    WARDEN_DATA_DIR: dir, WARDEN_PORT: '0', WARDEN_MASTER_KEY: randomBytes(32).toString('base64'),
    WARDEN_LOG_LEVEL: 'debug', WARDEN_RATE_LIMIT_STRICT: '10000', ...opts.env,
  };
  const base = process.env.WARDEN_TEST_DATABASE_URL;
  const pgSchema = base ? await createTestSchema(base, 'i') : null;
  if (pgSchema) env.WARDEN_DATABASE_URL = pgSchema.url;
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { logs.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
  const clock = manualClock(new Date());
  const app: App = await createApp(loadConfig(env), {
    clock, log: createLogger({ level: env.WARDEN_LOG_LEVEL, destination: sink }),
    identity: { argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 }, ...opts.identity },
  });
  await app.http.ready();
  await app.identity.start();

  async function call(method: string, url: string, o: { body?: unknown; token?: string; headers?: Record<string, string>; cookies?: Record<string, string>; ip?: string } = {}): Promise<Call> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const r = await app.http.inject({
      method: method as 'GET', url, headers, cookies: o.cookies, remoteAddress: o.ip,
      ...(o.body !== undefined ? { payload: o.body as object } : {}),
    });
    let body: unknown = r.body;
    try { body = JSON.parse(r.body); } catch { /* not JSON */ }
    return { status: r.statusCode, headers: r.headers, body, cookies: r.cookies.map((c) => ({ name: c.name, value: c.value })) };
  }

  return {
    app, clock, logs, call,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
      await pgSchema?.drop();
    },
  };
}
