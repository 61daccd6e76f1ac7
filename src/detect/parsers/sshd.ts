import type { SecurityEvent } from '../types.js';

/**
 * OpenSSH auth-log lines (syslog) → security events, typed in the external namespace (`ext.auth.login.failure` …).
 * Recognised: `Failed <method> for [invalid user] U from IP port P ssh2`, `Accepted <method> for U from IP port P`,
 * `Invalid user U from IP [port P]`, and `message repeated N times: [ … ]` around any of them.
 * Syslog timestamps (`Mar  1 12:00:01`) carry no year: it comes from the caller, and rolls over when the
 * month goes backwards (December → January). They are read as UTC. RFC 3339 timestamps are used as they are.
 */
export interface SshdParser {
  /** Events of one line; null when the line is not an sshd authentication line (a skipped line). */
  parseLine(line: string): SecurityEvent[] | null;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const SYSLOG = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\S+)\s+sshd(?:-session)?\[(\d+)\]:\s+(.*)$/;
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+sshd(?:-session)?\[(\d+)\]:\s+(.*)$/;
const REPEATED = /^message repeated (\d+) times: \[\s*(.*?)\s*\]$/;
const FAILED = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?/;
const ACCEPTED = /^Accepted (\S+) for (.*?) from (\S+) port (\d+)(?: ssh2)?/;
const INVALID = /^Invalid user (.*?) from (\S+)(?: port (\d+))?\s*$/;
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+)$/;

interface Parsed { type: string; status: 'success' | 'failure'; user: string; ip: string; port?: number; method?: string; invalid?: boolean }

function parseMessage(msg: string): Parsed | null {
  let m = FAILED.exec(msg);
  if (m) return { type: 'ext.auth.login.failure', status: 'failure', method: m[1], invalid: !!m[2], user: m[3], ip: m[4], port: Number(m[5]) };
  m = ACCEPTED.exec(msg);
  if (m) return { type: 'ext.auth.login.success', status: 'success', method: m[1], user: m[2], ip: m[3], port: Number(m[4]) };
  m = INVALID.exec(msg);
  if (m) return { type: 'ext.auth.invalid_user', status: 'failure', invalid: true, user: m[1], ip: m[2], ...(m[3] ? { port: Number(m[3]) } : {}) };
  return null;
}

export function createSshdParser(opts: { year: number }): SshdParser {
  let year = opts.year;
  let lastMonth = -1;

  function syslogTime(mon: string, day: string, hh: string, mm: string, ss: string): string | null {
    const month = MONTHS[mon];
    if (month === undefined) return null;
    if (lastMonth >= 0 && month < lastMonth && lastMonth - month > 6) year++;
    lastMonth = month;
    const d = new Date(Date.UTC(year, month, Number(day), Number(hh), Number(mm), Number(ss)));
    return Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(day) ? null : d.toISOString();
  }

  return {
    parseLine(line) {
      const text = line.replace(/\r$/, '');
      let time: string | null; let host: string; let pid: string; let msg: string;
      const s = SYSLOG.exec(text);
      if (s) {
        time = syslogTime(s[1], s[2], s[3], s[4], s[5]); host = s[6]; pid = s[7]; msg = s[8];
      } else {
        const i = ISO.exec(text);
        if (!i) return null;
        const t = Date.parse(i[1]);
        time = Number.isNaN(t) ? null : new Date(t).toISOString(); host = i[2]; pid = i[3]; msg = i[4];
      }
      if (!time) return null;
      let repeat = 1;
      const r = REPEATED.exec(msg);
      if (r) { repeat = Math.min(Number(r[1]), 10_000); msg = r[2]; }
      const p = parseMessage(msg);
      if (!p || !IP.test(p.ip) || p.user.length === 0 || p.user.length > 256) return null;
      const event: SecurityEvent = {
        type: p.type,
        class_uid: 3002,
        activity_id: 1,
        severity_id: p.status === 'failure' ? 2 : 1,
        time,
        status: p.status,
        user: { uid: p.user, name: p.user },
        src_endpoint: { ip: p.ip, ...(p.port !== undefined ? { port: p.port } : {}) },
        source: 'sshd',
        message: msg.slice(0, 512),
        unmapped: { host, pid: Number(pid), ...(p.method ? { auth_method: p.method } : {}), ...(p.invalid ? { invalid_user: true } : {}) },
      };
      return Array.from({ length: repeat }, () => ({ ...event }));
    },
  };
}
