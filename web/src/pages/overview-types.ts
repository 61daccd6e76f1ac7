/** The shape of GET /v1/overview (server: src/web/overview.ts). */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Sev = (typeof SEVERITIES)[number];
export type Point = Record<Sev, number> & { t: string };
export interface OverviewData {
  range: string; from: string; to: string; bucket_seconds: number;
  events: { total: number; series: Point[] };
  alerts: { available: boolean; series: Point[]; open: Record<Sev, number>; acknowledged: number };
  failed_logins: { total: number; top_ips: Array<{ src_ip: string; count: number }>; top_users: Array<{ user: string; count: number }> };
  lockouts: { total: number; recent: Array<{ user: string | null; src_ip: string | null; time: string }> };
}
