import { type FormEvent, useState } from 'react';
import { api, qs } from '../api';
import { Link, navigate, useLocation } from '../router';
import { ErrorBox, Loading, PageHeader, SeverityBadge, StatusBadge, Time, useAsync } from '../ui';

export interface AlertRow {
  id: string; rule: string; title: string; key: Record<string, string | null>; severity: string; status: string;
  count: number; first_seen: string; last_seen: string;
}
const SINCE: Record<string, number> = { '24h': 86_400, '7d': 604_800, '30d': 2_592_000 };
const PAGE = 50;

/** Alerts: filters live in the URL (shareable, back button works); paging by last_seen. */
export default function Alerts() {
  const { query } = useLocation();
  const f = { severity: query.get('severity') ?? '', status: query.get('status') ?? '', rule: query.get('rule') ?? '', time: query.get('time') ?? '' };
  const [rule, setRule] = useState(f.rule);
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before[before.length - 1];
  const list = useAsync(() => api<{ alerts: AlertRow[] }>(`/v1/alerts${qs({
    severity: f.severity, status: f.status, rule: f.rule, limit: PAGE, before: cursor,
    since: f.time ? new Date(Date.now() - SINCE[f.time] * 1000).toISOString() : undefined,
  })}`), [f.severity, f.status, f.rule, f.time, cursor]);

  function set(k: string, v: string) {
    const q = new URLSearchParams(query);
    if (v) q.set(k, v); else q.delete(k);
    setBefore([]);
    navigate(`/alerts${q.toString() ? `?${q}` : ''}`, true);
  }
  const rows = list.data?.alerts ?? [];
  return (
    <>
      <PageHeader title="Alerts" />
      <form className="filters" aria-label="Filter alerts" onSubmit={(e: FormEvent) => { e.preventDefault(); set('rule', rule.trim()); }}>
        <label>Severity
          <select value={f.severity} onChange={(e) => set('severity', e.target.value)}>
            <option value="">any</option>{['critical', 'high', 'medium', 'low', 'info'].map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Status
          <select value={f.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">any</option>{['open', 'acknowledged', 'resolved'].map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Rule
          <input value={rule} onChange={(e) => setRule(e.target.value)} placeholder="e.g. brute_force_user" onBlur={() => rule !== f.rule && set('rule', rule.trim())} />
        </label>
        <label>Seen in the last
          <select value={f.time} onChange={(e) => set('time', e.target.value)}>
            <option value="">any time</option><option value="24h">24 hours</option><option value="7d">7 days</option><option value="30d">30 days</option>
          </select>
        </label>
        <button type="submit" className="btn">Apply</button>
      </form>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Alerts, most recent first</caption>
            <thead><tr><th scope="col">Severity</th><th scope="col">Alert</th><th scope="col">Rule</th><th scope="col">Key</th><th scope="col">Events</th><th scope="col">Last seen</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td><SeverityBadge severity={a.severity} /></td>
                  <td><Link to={`/alerts/${a.id}`}>{a.title}</Link></td>
                  <td><code>{a.rule}</code></td>
                  <td className="small">{Object.entries(a.key).map(([k, v]) => `${k}=${v ?? '∅'}`).join(', ')}</td>
                  <td className="num">{a.count}</td>
                  <td><Time value={a.last_seen} /></td>
                  <td><StatusBadge status={a.status} /></td>
                </tr>
              ))}
              {rows.length === 0 && <tr><td colSpan={7} className="muted">No alerts match these filters.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" className="btn" disabled={before.length === 0} onClick={() => setBefore(before.slice(0, -1))}>Newer</button>
        <button type="button" className="btn" disabled={rows.length < PAGE} onClick={() => setBefore([...before, rows[rows.length - 1].last_seen])}>Older</button>
      </div>
    </>
  );
}
