import { describe, expect, it } from 'vitest';
import { normalizeExternal } from './external.js';

const now = new Date('2026-03-01T12:00:00Z');

describe('external events', () => {
  it('accepts the simple form and keeps extra fields as unmapped', () => {
    const r = normalizeExternal({ type: 'auth.login.failure', time: '2026-03-01T11:59:00Z', user: 'alice', src_ip: '192.0.2.1', port: 22, outcome: 'failure', app: 'vpn' }, 'api', now);
    expect(r).toEqual({ ok: true, event: {
      type: 'ext.auth.login.failure', class_uid: 3002, activity_id: 0, severity_id: 1, time: '2026-03-01T11:59:00.000Z', status: 'failure',
      source: 'api', user: { uid: 'alice', name: 'alice' }, src_endpoint: { ip: '192.0.2.1', port: 22 }, unmapped: { app: 'vpn' },
    } });
  });

  it('accepts OCSF Authentication events with epoch time and status_id', () => {
    const r = normalizeExternal({ class_uid: 3002, activity_id: 1, time: Date.parse('2026-03-01T11:00:00Z'), status_id: 2, user: { name: 'bob', email_addr: 'b@example.org' }, src_endpoint: { ip: '198.51.100.2' }, metadata: { product: { name: 'idp' } } }, 'api', now);
    expect(r.ok && r.event).toMatchObject({ type: 'ext.auth.login.failure', status: 'failure', user: { uid: 'bob', email: 'b@example.org' }, src_endpoint: { ip: '198.51.100.2' } });
  });

  it('defaults time to arrival, refuses bad input and a claimed warden source', () => {
    const r = normalizeExternal({ type: 'audit.chain_broken', source: 'warden' }, 'api', now);
    expect(r.ok && r.event).toMatchObject({ time: now.toISOString(), source: 'api', type: 'ext.audit.chain_broken' });
    expect(normalizeExternal({ type: 'x', source: 'WARDEN' }, 'api', now)).toMatchObject({ ok: true, event: { source: 'api' } });
    expect(normalizeExternal({ time: 'x' }, 'api', now).ok).toBe(false);
    expect(normalizeExternal({ type: 'a b' }, 'api', now).ok).toBe(false);
    expect(normalizeExternal({ type: 'x', time: 'yesterday' }, 'api', now).ok).toBe(false);
    expect(normalizeExternal({ type: 'x', blob: 'y'.repeat(5000) }, 'api', now).ok).toBe(false);
    expect(normalizeExternal([1], 'api', now).ok).toBe(false);
  });

  it('moves every reserved namespace into ext. and strips control characters from identifiers', () => {
    for (const t of ['auth.login.success', 'token.refresh_reuse', 'access.denied', 'audit.chain_broken', 'key.rotated', 'data.export', 'detect.alert.resolved', 'Audit.chain_broken']) {
      expect(normalizeExternal({ type: t }, 'api', now)).toMatchObject({ ok: true, event: { type: `ext.${t}` } });
    }
    expect(normalizeExternal({ type: 'vpn.failure' }, 'api', now)).toMatchObject({ ok: true, event: { type: 'vpn.failure' } });
    expect(normalizeExternal({ type: 'api.error' }, 'api', now)).toMatchObject({ ok: true, event: { type: 'api.error' } });
    expect(normalizeExternal({ type: 'audit.chain_broken' }, 'test', now, { reserve: false })).toMatchObject({ ok: true, event: { type: 'audit.chain_broken' } });
    const r = normalizeExternal({ type: 'x', user: 'a\u001fb', source: 's\u001dx' }, 'api', now);
    expect(r).toMatchObject({ ok: true, event: { user: { uid: 'ab' }, source: 'sx' } });
  });
});
