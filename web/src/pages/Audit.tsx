import { type FormEvent, useState } from 'react';
import { api, download, qs } from '../api';
import { ErrorBox, Json, Loading, Notice, PageHeader, Time, useAction, useAsync } from '../ui';

interface Entry {
  seq: number; occurred_at: string; action: string; outcome: string; hash: string;
  actor: { type: string; id: string | null; ip: string | null; user_agent?: string | null };
  target: { type: string; id: string | null } | null; details: Record<string, unknown>;
}
interface Verify { ok: boolean; entries: number; head_seq: number; head_hash?: string; checkpoints: number; broken_seq?: number; reason?: string; detail?: string }
interface Filter { actor: string; action: string; target: string; outcome: string; from: string; to: string }
const EMPTY: Filter = { actor: '', action: '', target: '', outcome: '', from: '', to: '' };
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The audit log: filter, cursor paging (newest first), details, verify, export. */
export default function Audit() {
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [verify, setVerify] = useState<Verify | null>(null);
  const params = { actor: filter.actor, action: filter.action, target: filter.target, outcome: filter.outcome, from: iso(filter.from), to: iso(filter.to) };
  const page = useAsync(() => api<{ entries: Entry[]; next_cursor: string | null }>(`/v1/audit${qs({ ...params, cursor: cursors[cursors.length - 1], limit: 50 })}`),
    [JSON.stringify(filter), cursors.length ? cursors[cursors.length - 1] : '']);
  const check = useAction(async () => setVerify(await api<Verify>('/v1/audit/verify')));
  const exp = useAction(async (format: 'jsonl' | 'csv') => download(`/v1/audit/export${qs({ ...params, format })}`, `warden-audit.${format}`));

  function apply(e: FormEvent) { e.preventDefault(); setCursors([]); setFilter({ ...draft }); }
  const up = (k: keyof Filter) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const entries = page.data?.entries ?? [];

  return (
    <>
      <PageHeader title="Audit log">
        <button type="button" className="btn" onClick={() => void check.run()} disabled={check.busy}>{check.busy ? 'Verifying…' : 'Verify chain'}</button>
        <button type="button" className="btn" onClick={() => void exp.run('jsonl')} disabled={exp.busy}>Export JSONL</button>
        <button type="button" className="btn" onClick={() => void exp.run('csv')} disabled={exp.busy}>Export CSV</button>
      </PageHeader>
      <ErrorBox error={check.error ?? exp.error} />
      {verify && (verify.ok
        ? <Notice kind="success"><span data-testid="verify-result">Chain verified</span>: {verify.entries} entries up to #{verify.head_seq}, {verify.checkpoints} signed checkpoints.</Notice>
        : <div className="alert alert-error" role="alert"><strong>Chain broken at #{verify.broken_seq}</strong><p>{verify.reason} {verify.detail}</p></div>)}
      <form className="filters" aria-label="Filter the audit log" onSubmit={apply}>
        <label>Actor<input value={draft.actor} onChange={up('actor')} placeholder="user id" /></label>
        <label>Action<input value={draft.action} onChange={up('action')} placeholder="auth.login* (ending * = prefix)" title="An exact action, or a prefix ending with *" /></label>
        <label>Target<input value={draft.target} onChange={up('target')} placeholder="target id" /></label>
        <label>Outcome
          <select value={draft.outcome} onChange={up('outcome')}><option value="">any</option><option>success</option><option>failure</option><option>denied</option></select>
        </label>
        <label>From<input type="datetime-local" value={draft.from} onChange={up('from')} /></label>
        <label>To<input type="datetime-local" value={draft.to} onChange={up('to')} /></label>
        <button type="submit" className="btn btn-primary">Filter</button>
        <button type="button" className="btn" onClick={() => { setDraft(EMPTY); setFilter(EMPTY); setCursors([]); }}>Clear</button>
      </form>
      <ErrorBox error={page.error} onRetry={page.reload} />
      {page.loading && !page.data ? <Loading /> : (
        <div className="table-wrap">
          <table aria-describedby="audit-caption">
            <caption id="audit-caption" className="sr-only">Audit entries, newest first</caption>
            <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Outcome</th><th scope="col"><span className="sr-only">Details</span></th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <FragmentRow key={e.seq} e={e} open={open === e.seq} toggle={() => setOpen(open === e.seq ? null : e.seq)} />
              ))}
              {entries.length === 0 && <tr><td colSpan={7} className="muted">No entries match.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" className="btn" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <span className="muted small">Page {cursors.length + 1}</span>
        <button type="button" className="btn" disabled={!page.data?.next_cursor} onClick={() => setCursors([...cursors, page.data!.next_cursor!])}>Older</button>
      </div>
    </>
  );
}

function FragmentRow({ e, open, toggle }: { e: Entry; open: boolean; toggle: () => void }) {
  return (
    <>
      <tr>
        <td className="num">{e.seq}</td>
        <td><Time value={e.occurred_at} /></td>
        <td>{e.actor.type}{e.actor.id ? `:${e.actor.id}` : ''}{e.actor.ip ? <span className="muted small"> {e.actor.ip}</span> : null}</td>
        <td><code>{e.action}</code></td>
        <td>{e.target ? `${e.target.type}${e.target.id ? `:${e.target.id}` : ''}` : '—'}</td>
        <td><span className={`badge outcome-${e.outcome}`}>{e.outcome}</span></td>
        <td><button type="button" className="btn btn-small" aria-expanded={open} onClick={toggle}>{open ? 'Hide' : 'Details'}<span className="sr-only"> of entry {e.seq}</span></button></td>
      </tr>
      {open && (
        <tr className="details-row"><td colSpan={7}>
          <Json value={e.details} />
          <p className="small muted">hash <code>{e.hash}</code>{e.actor.user_agent ? <> · {e.actor.user_agent}</> : null}</p>
        </td></tr>
      )}
    </>
  );
}
