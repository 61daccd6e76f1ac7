import { lazy, Suspense, useState } from 'react';
import { api } from '../api';
import { useAuth } from '../auth';
import { Link } from '../router';
import { ErrorBox, Loading, PageHeader, SeverityBadge, Time, useAsync } from '../ui';
import { type OverviewData, SEVERITIES } from './overview-types';

const Charts = lazy(() => import('./OverviewCharts'));

interface Verify { ok: boolean; entries: number; head_seq: number; checkpoints: number; broken_seq?: number; reason?: string; detail?: string }
interface KeyInfo { name: string; latest_version: number; rotated_at?: string; rotation_due_at?: string; overdue?: boolean }

const RANGES = [{ v: '24h', label: '24 hours' }, { v: '7d', label: '7 days' }, { v: '30d', label: '30 days' }];

function AuditCard() {
  const v = useAsync(() => api<Verify>('/v1/audit/verify'), []);
  return (
    <section className="card" aria-labelledby="audit-state">
      <h2 id="audit-state">Audit chain</h2>
      {v.loading ? <Loading label="Verifying the chain…" /> : v.error ? <ErrorBox error={v.error} /> : v.data && (
        v.data.ok
          ? <p className="big ok" data-testid="audit-ok"><span aria-hidden="true">✔</span> Verified</p>
          : <p className="big bad"><span aria-hidden="true">✖</span> Broken at #{v.data.broken_seq}</p>
      )}
      {v.data && <p className="muted small">{v.data.entries} entries · head #{v.data.head_seq} · {v.data.checkpoints} signed checkpoints{v.data.detail ? ` · ${v.data.detail}` : ''}</p>}
      <Link to="/audit">Open the audit log</Link>
    </section>
  );
}

function KeysCard() {
  const k = useAsync(() => api<{ keys: KeyInfo[] }>('/v1/keys'), []);
  const overdue = k.data?.keys.filter((x) => x.overdue) ?? [];
  return (
    <section className="card" aria-labelledby="keys-state">
      <h2 id="keys-state">Keys overdue for rotation</h2>
      {k.loading ? <Loading /> : k.error ? <ErrorBox error={k.error} /> : (
        <>
          <p className={`big ${overdue.length ? 'bad' : 'ok'}`}>{overdue.length}</p>
          <p className="muted small">of {k.data?.keys.length ?? 0} keys</p>
          {overdue.length > 0 && <ul className="plain">{overdue.slice(0, 5).map((x) => <li key={x.name}><code>{x.name}</code> due <Time value={x.rotation_due_at} /></li>)}</ul>}
          <Link to="/keys">Manage keys</Link>
        </>
      )}
    </section>
  );
}

/** The overview: everything aggregated on the server; charts load only on this page. */
export default function Overview() {
  const auth = useAuth();
  const [range, setRange] = useState('24h');
  const o = useAsync(() => api<OverviewData>(`/v1/overview?range=${range}`), [range]);
  const d = o.data;
  return (
    <>
      <PageHeader title="Overview">
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button key={r.v} type="button" className="btn" aria-pressed={range === r.v} onClick={() => setRange(r.v)}>{r.label}</button>
          ))}
        </div>
      </PageHeader>
      <ErrorBox error={o.error} onRetry={o.reload} />
      {!d && o.loading && <Loading />}
      {d && (
        <>
          <div className="cards">
            <section className="card" aria-labelledby="open-alerts">
              <h2 id="open-alerts">Open alerts</h2>
              <p className="big" data-testid="open-alerts-total">{SEVERITIES.reduce((s, k) => s + d.alerts.open[k], 0)}</p>
              <ul className="sev-counts">
                {[...SEVERITIES].reverse().map((s) => <li key={s}><SeverityBadge severity={s} /> <span>{d.alerts.open[s]}</span></li>)}
              </ul>
              <p className="muted small">{d.alerts.acknowledged} acknowledged, not yet resolved</p>
              <Link to="/alerts?status=open">See open alerts</Link>
            </section>
            <section className="card" aria-labelledby="failed-logins">
              <h2 id="failed-logins">Failed logins</h2>
              <p className="big">{d.failed_logins.total}</p>
              <div className="two">
                <div>
                  <h3>Top source IPs</h3>
                  {d.failed_logins.top_ips.length ? <ol className="plain">{d.failed_logins.top_ips.map((x) => <li key={x.src_ip}><code>{x.src_ip}</code> <span className="muted">{x.count}</span></li>)}</ol> : <p className="muted small">none</p>}
                </div>
                <div>
                  <h3>Top users</h3>
                  {d.failed_logins.top_users.length ? <ol className="plain">{d.failed_logins.top_users.map((x) => <li key={x.user}>{x.user} <span className="muted">{x.count}</span></li>)}</ol> : <p className="muted small">none</p>}
                </div>
              </div>
            </section>
            <section className="card" aria-labelledby="lockouts">
              <h2 id="lockouts">Lockouts</h2>
              <p className="big">{d.lockouts.total}</p>
              {d.lockouts.recent.length ? <ul className="plain">{d.lockouts.recent.map((x, i) => <li key={i}>{x.user ?? x.src_ip ?? 'unknown'} <span className="muted small"><Time value={x.time} /></span></li>)}</ul> : <p className="muted small">none in this range</p>}
            </section>
            {auth.can('read:audit') && <AuditCard />}
            {auth.can('admin:keys') && <KeysCard />}
          </div>
          <Suspense fallback={<Loading label="Loading charts…" />}>
            <Charts data={d} />
          </Suspense>
        </>
      )}
    </>
  );
}
