import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

describe('TLS', () => {
  let s: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'warden-tls-'));
  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    s = await startServer({ env: { WARDEN_TLS_CERT: join(dir, 'cert.pem'), WARDEN_TLS_KEY: join(dir, 'key.pem') } });
  });
  afterAll(async () => { await s?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('serves HTTPS with HSTS', async () => {
    expect(s.url).toMatch(/^https:/);
    const res = await new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
      const r = request(`${s.url}/healthz`, { rejectUnauthorized: false }, (m) => {
        m.resume();
        resolve({ status: m.statusCode ?? 0, hsts: m.headers['strict-transport-security'] as string | undefined });
      });
      r.on('error', reject);
      r.end();
    });
    expect(res.status).toBe(200);
    expect(res.hsts).toMatch(/max-age=\d+/);
  });
});
