import { describe, expect, it } from 'vitest';
import { createSshdParser } from './sshd.js';

const LOG = `Mar  1 12:00:01 bastion sshd[4120]: Invalid user admin from 203.0.113.9 port 51234
Mar  1 12:00:01 bastion sshd[4120]: Failed password for invalid user admin from 203.0.113.9 port 51234 ssh2
Mar  1 12:00:03 bastion sshd[4122]: Failed password for root from 203.0.113.9 port 51236 ssh2
Mar  1 12:00:09 bastion sshd[4122]: message repeated 4 times: [ Failed password for root from 203.0.113.9 port 51236 ssh2]
Mar  1 12:00:10 bastion sshd[4122]: Connection closed by authenticating user root 203.0.113.9 port 51236 [preauth]
Mar  1 12:01:00 bastion sshd[4130]: Accepted publickey for deploy from 198.51.100.7 port 40022 ssh2: ED25519 SHA256:abcdefghijklmnop
Mar  1 12:01:05 bastion sshd[4131]: Accepted password for alice from 2001:db8::1 port 40100 ssh2
Mar  1 12:01:06 bastion CRON[999]: pam_unix(cron:session): session opened for user root
this is not a log line at all
Feb 30 10:00:00 bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2
2026-03-01T12:02:00.123456+01:00 bastion sshd[4200]: Failed keyboard-interactive/pam for bob from 192.0.2.4 port 2222 ssh2`;

describe('sshd parser', () => {
  it('parses real-looking auth.log lines, expands message repeated, skips the rest', () => {
    const p = createSshdParser({ year: 2026 });
    const out = LOG.split('\n').map((l) => p.parseLine(l));
    const events = out.flatMap((x) => x ?? []);
    expect(out.filter((x) => x === null)).toHaveLength(4);
    expect(events.map((e) => e.type)).toEqual([
      'ext.auth.invalid_user', 'ext.auth.login.failure', 'ext.auth.login.failure',
      'ext.auth.login.failure', 'ext.auth.login.failure', 'ext.auth.login.failure', 'ext.auth.login.failure',
      'ext.auth.login.success', 'ext.auth.login.success', 'ext.auth.login.failure',
    ]);
    expect(events[1]).toMatchObject({
      time: '2026-03-01T12:00:01.000Z', status: 'failure', source: 'sshd', class_uid: 3002,
      user: { uid: 'admin', name: 'admin' }, src_endpoint: { ip: '203.0.113.9', port: 51234 },
      unmapped: { host: 'bastion', pid: 4120, auth_method: 'password', invalid_user: true },
    });
    expect(events[3]).toMatchObject({ time: '2026-03-01T12:00:09.000Z', user: { uid: 'root' } });
    expect(events[7]).toMatchObject({ user: { uid: 'deploy' }, src_endpoint: { ip: '198.51.100.7' }, unmapped: { auth_method: 'publickey' } });
    expect(events[8].src_endpoint?.ip).toBe('2001:db8::1');
    expect(events[9]).toMatchObject({ time: '2026-03-01T11:02:00.123Z', user: { uid: 'bob' }, unmapped: { auth_method: 'keyboard-interactive/pam' } });
  });

  it('rolls the year over from December to January', () => {
    const p = createSshdParser({ year: 2025 });
    const a = p.parseLine('Dec 31 23:59:59 h sshd[1]: Failed password for x from 192.0.2.1 port 1 ssh2')!;
    const b = p.parseLine('Jan  1 00:00:01 h sshd[1]: Failed password for x from 192.0.2.1 port 1 ssh2')!;
    expect([a[0].time, b[0].time]).toEqual(['2025-12-31T23:59:59.000Z', '2026-01-01T00:00:01.000Z']);
  });
});
