import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/types.js';

export type OverviewRange = '24h' | '7d' | '30d';
type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Range → (length, bucket) in seconds: 24 hourly, 28 six-hourly or 30 daily buckets. */
const RANGES: Record<OverviewRange, { seconds: number; bucket: number }> = {
  '24h': { seconds: 86_400, bucket: 3_600 },
  '7d': { seconds: 604_800, bucket: 21_600 },
  '30d': { seconds: 2_592_000, bucket: 86_400 },
};
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];
type SeverityCounts = Record<Severity, number>;
export interface Point extends SeverityCounts { t: string }

export interface Overview {
  range: OverviewRange; from: string; to: string; bucket_seconds: number;
  events: { total: number; series: Point[] };
  alerts: { available: boolean; series: Point[]; open: SeverityCounts; acknowledged: number };
  failed_logins: { total: number; top_ips: Array<{ src_ip: string; count: number }>; top_users: Array<{ user: string; count: number }> };
  lockouts: { total: number; recent: Array<{ user: string | null; src_ip: string | null; time: string }> };
}

const zero = (): SeverityCounts => ({ info: 0, low: 0, medium: 0, high: 0, critical: 0 });
/** OCSF severity_id → name (unknown counts as info, fatal as critical). */
const fromId = (id: number): Severity => SEVERITIES[Math.min(Math.max(id, 1), 5) - 1];
const fromName = (s: string): Severity => ((SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : 'info');
/** Warden's own failed logins and those reported from outside (API, sshd: the `ext.` namespace). */
const FAILED = `type IN ('auth.login.failure', 'ext.auth.login.failure', 'ext.auth.invalid_user')`;
const LOCKOUT = `type IN ('auth.lockout', 'ext.auth.lockout')`;
/** Buckets are aligned on the Unix epoch (date_bin: PostgreSQL 14+). */
const EPOCH = `timestamptz '1970-01-01T00:00:00Z'`;
const WHO = `COALESCE(event->'user'->>'email', event->'user'->>'name', user_uid)`;

function series(rows: Array<{ b: Date | string; sev: Severity; n: string }>, first: number, count: number, bucket: number): Point[] {
  const out: Point[] = Array.from({ length: count }, (_, i) => ({ t: new Date((first + i) * bucket * 1000).toISOString(), ...zero() }));
  for (const r of rows) {
    const i = Math.round(new Date(r.b).getTime() / 1000 / bucket) - first;
    if (i >= 0 && i < count) out[i][r.sev] += Number(r.n);
  }
  return out;
}

/** Aggregates in SQL: the browser gets a few hundred numbers, never raw events. */
export async function computeOverview(db: Db, range: OverviewRange, now: Date): Promise<Overview> {
  const { seconds, bucket } = RANGES[range];
  const nowSec = Math.floor(now.getTime() / 1000);
  const last = Math.floor(nowSec / bucket);
  const count = Math.ceil(seconds / bucket);
  const first = last - count + 1;
  const from = new Date(first * bucket * 1000);
  const p = [from.toISOString(), now.toISOString()];
  const inRange = 'time >= $1 AND time <= $2';

  const hasAlerts = (await db.query<{ t: string | null }>(`SELECT to_regclass('detect_alerts')::text AS t`)).rows[0]?.t != null;
  const [ev, fTotal, fIps, fUsers, lTotal, lRecent, al, open] = await Promise.all([
    db.query<{ b: Date | string; sid: number; n: string }>(
      `SELECT date_bin('${bucket} seconds'::interval, time, ${EPOCH}) AS b, severity_id AS sid, count(*)::text AS n
         FROM security_events WHERE ${inRange} GROUP BY 1, 2`, p),
    db.query<{ n: string }>(`SELECT count(*)::text AS n FROM security_events WHERE ${FAILED} AND ${inRange}`, p),
    db.query<{ src_ip: string; n: string }>(
      `SELECT src_ip, count(*)::text AS n FROM security_events WHERE ${FAILED} AND ${inRange} AND src_ip IS NOT NULL
        GROUP BY src_ip ORDER BY count(*) DESC, src_ip LIMIT 5`, p),
    db.query<{ who: string; n: string }>(
      `SELECT ${WHO} AS who, count(*)::text AS n FROM security_events WHERE ${FAILED} AND ${inRange} AND ${WHO} IS NOT NULL
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5`, p),
    db.query<{ n: string }>(`SELECT count(*)::text AS n FROM security_events WHERE ${LOCKOUT} AND ${inRange}`, p),
    db.query<{ who: string | null; src_ip: string | null; time: Date | string }>(
      `SELECT ${WHO} AS who, src_ip, time FROM security_events WHERE ${LOCKOUT} AND ${inRange} ORDER BY time DESC LIMIT 5`, p),
    hasAlerts
      ? db.query<{ b: Date | string; sev: string; n: string }>(
        `SELECT date_bin('${bucket} seconds'::interval, first_seen, ${EPOCH}) AS b, severity AS sev, count(*)::text AS n
           FROM detect_alerts WHERE first_seen >= $1 AND first_seen <= $2 GROUP BY 1, 2`, p)
      : Promise.resolve({ rows: [] as Array<{ b: Date | string; sev: string; n: string }> }),
    hasAlerts
      ? db.query<{ status: string; sev: string; n: string }>(
        `SELECT status, severity AS sev, count(*)::text AS n FROM detect_alerts WHERE status <> 'resolved' GROUP BY 1, 2`)
      : Promise.resolve({ rows: [] as Array<{ status: string; sev: string; n: string }> }),
  ]);

  const openCounts = zero();
  let acknowledged = 0;
  for (const r of open.rows) {
    if (r.status === 'open') openCounts[fromName(r.sev)] += Number(r.n);
    else acknowledged += Number(r.n);
  }
  const evSeries = series(ev.rows.map((r) => ({ b: r.b, sev: fromId(Number(r.sid)), n: r.n })), first, count, bucket);
  return {
    range, from: from.toISOString(), to: now.toISOString(), bucket_seconds: bucket,
    events: { total: ev.rows.reduce((s, r) => s + Number(r.n), 0), series: evSeries },
    alerts: {
      available: hasAlerts,
      series: series(al.rows.map((r) => ({ b: r.b, sev: fromName(r.sev), n: r.n })), first, count, bucket),
      open: openCounts, acknowledged,
    },
    failed_logins: {
      total: Number(fTotal.rows[0]?.n ?? 0),
      top_ips: fIps.rows.map((r) => ({ src_ip: r.src_ip, count: Number(r.n) })),
      top_users: fUsers.rows.map((r) => ({ user: r.who, count: Number(r.n) })),
    },
    lockouts: {
      total: Number(lTotal.rows[0]?.n ?? 0),
      recent: lRecent.rows.map((r) => ({ user: r.who, src_ip: r.src_ip, time: new Date(r.time).toISOString() })),
    },
  };
}

const counts = { type: 'object', properties: Object.fromEntries(SEVERITIES.map((s) => [s, { type: 'integer' }])) } as const;
const point = { type: 'object', properties: { t: { type: 'string' }, ...counts.properties } } as const;

/** GET /v1/overview?range=24h|7d|30d: the dashboard's overview, aggregated in the database. */
export function overviewRoutes(deps: { db: Db; guard: { require(permission: string): PreHandler }; now?: () => Date }) {
  return async (app: FastifyInstance) => {
    app.get('/v1/overview', {
      preHandler: deps.guard.require('read:alerts'),
      schema: {
        tags: ['web'], summary: 'Dashboard overview: events and alerts over time by severity, failed logins, lockouts',
        querystring: { type: 'object', additionalProperties: false, properties: { range: { type: 'string', enum: Object.keys(RANGES), default: '24h' } } },
        response: { 200: { type: 'object', properties: {
          range: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, bucket_seconds: { type: 'integer' },
          events: { type: 'object', properties: { total: { type: 'integer' }, series: { type: 'array', items: point } } },
          alerts: { type: 'object', properties: { available: { type: 'boolean' }, series: { type: 'array', items: point }, open: counts, acknowledged: { type: 'integer' } } },
          failed_logins: { type: 'object', properties: {
            total: { type: 'integer' },
            top_ips: { type: 'array', items: { type: 'object', properties: { src_ip: { type: 'string' }, count: { type: 'integer' } } } },
            top_users: { type: 'array', items: { type: 'object', properties: { user: { type: 'string' }, count: { type: 'integer' } } } } } },
          lockouts: { type: 'object', properties: { total: { type: 'integer' }, recent: { type: 'array', items: { type: 'object', properties: {
            user: { type: ['string', 'null'] }, src_ip: { type: ['string', 'null'] }, time: { type: 'string' } } } } } },
        } } },
      },
    }, async (req) => {
      const { range } = req.query as { range: OverviewRange };
      return computeOverview(deps.db, range, deps.now?.() ?? new Date());
    });
  };
}
