import { useState } from 'react';
import { api } from '../api';
import { useAuth } from '../auth';
import { Link } from '../router';
import { ErrorBox, Field, Json, Loading, Notice, PageHeader, SeverityBadge, StatusBadge, Time, useAction, useAsync } from '../ui';
import type { AlertRow } from './Alerts';

interface Mark { by: string; at: string; note: string | null }
interface Ev { id: string; type: string; time: string; severity_id: number; status: string; user?: { uid?: string; name?: string; email?: string }; src_endpoint?: { ip?: string }; source: string; message?: string }
interface Delivery { id: string; channel_id?: string; channel?: string; status: string; attempts: number; delivered_at?: string | null; last_error?: string | null; created_at?: string }
interface AlertFull extends AlertRow { created_at?: string; evidence: string[]; events: Ev[]; deliveries: Delivery[]; acknowledged?: Mark | null; resolved?: Mark | null }

/** One alert: its timeline, the evidence events, and acknowledge / resolve with a note. */
export default function AlertDetail({ param }: { param?: string }) {
  const auth = useAuth();
  const a = useAsync(() => api<AlertFull>(`/v1/alerts/${encodeURIComponent(param ?? '')}`), [param]);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = useAction(async (to: 'ack' | 'resolve') => {
    await api(`/v1/alerts/${param}/${to}`, { body: note.trim() ? { note: note.trim() } : {} });
    setNote('');
    setDone(to === 'ack' ? 'Alert acknowledged.' : 'Alert resolved.');
    a.reload();
  });
  const d = a.data;
  if (a.error) return <><PageHeader title="Alert" /><ErrorBox error={a.error} onRetry={a.reload} /></>;
  if (!d) return <Loading />;

  const timeline: Array<{ at: string; what: string; note?: string | null }> = [
    { at: d.first_seen, what: 'First matching event' },
    ...(d.created_at ? [{ at: d.created_at, what: 'Alert raised' }] : []),
    { at: d.last_seen, what: `Last matching event (${d.count} in all)` },
    ...d.deliveries.map((x) => ({ at: x.delivered_at ?? x.created_at ?? d.last_seen, what: `Notification ${x.status}${x.channel ? ` via ${x.channel}` : ''} (${x.attempts} attempt${x.attempts === 1 ? '' : 's'})`, note: x.last_error })),
    ...(d.acknowledged ? [{ at: d.acknowledged.at, what: `Acknowledged by ${d.acknowledged.by}`, note: d.acknowledged.note }] : []),
    ...(d.resolved ? [{ at: d.resolved.at, what: `Resolved by ${d.resolved.by}`, note: d.resolved.note }] : []),
  ].sort((x, y) => x.at.localeCompare(y.at));

  return (
    <>
      <PageHeader title={d.title}>
        <Link to="/alerts">All alerts</Link>
      </PageHeader>
      <dl className="facts">
        <div><dt>Severity</dt><dd><SeverityBadge severity={d.severity} /></dd></div>
        <div><dt>Status</dt><dd><StatusBadge status={d.status} /></dd></div>
        <div><dt>Rule</dt><dd><code>{d.rule}</code></dd></div>
        <div><dt>Key</dt><dd>{Object.entries(d.key).map(([k, v]) => <span key={k} className="kv"><code>{k}</code> {v ?? '∅'}</span>)}</dd></div>
        <div><dt>Events</dt><dd>{d.count}</dd></div>
      </dl>
      {done && <Notice kind="success">{done}</Notice>}
      {auth.can('write:alerts') && d.status !== 'resolved' && (
        <section className="card" aria-labelledby="triage">
          <h2 id="triage">Triage</h2>
          <ErrorBox error={act.error} />
          <Field label="Note (optional)" hint="Kept with the alert and in the audit log's details.">
            {(id, hint) => <textarea id={id} aria-describedby={hint} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <div className="row">
            {d.status === 'open' && <button type="button" className="btn btn-primary" disabled={act.busy} onClick={() => void act.run('ack')}>Acknowledge</button>}
            <button type="button" className="btn" disabled={act.busy} onClick={() => void act.run('resolve')}>Resolve</button>
          </div>
        </section>
      )}
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <ol className="timeline">
          {timeline.map((t, i) => <li key={i}><Time value={t.at} /> — {t.what}{t.note ? <blockquote>{t.note}</blockquote> : null}</li>)}
        </ol>
      </section>
      <section aria-labelledby="evidence">
        <h2 id="evidence">Evidence ({d.events.length}{d.evidence.length > d.events.length ? ` of ${d.evidence.length}` : ''} events)</h2>
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Time</th><th scope="col">Type</th><th scope="col">User</th><th scope="col">Source IP</th><th scope="col">Status</th><th scope="col">Source</th><th scope="col">Details</th></tr></thead>
            <tbody>
              {d.events.map((e) => (
                <tr key={e.id}>
                  <td><Time value={e.time} /></td><td><code>{e.type}</code></td>
                  <td>{e.user?.email ?? e.user?.name ?? e.user?.uid ?? '—'}</td><td>{e.src_endpoint?.ip ?? '—'}</td>
                  <td>{e.status}</td><td>{e.source}</td>
                  <td><details><summary>Event</summary><Json value={e} /></details></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
