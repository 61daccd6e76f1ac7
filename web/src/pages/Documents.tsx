import { type FormEvent, useState } from 'react';
import { api, ApiError, qs } from '../api';
import { useAuth } from '../auth';
import { Link, navigate, useLocation } from '../router';
import { ClassBadge, ErrorBox, Field, Loading, Notice, PageHeader, Time, useAction, useAsync } from '../ui';

interface Doc {
  id: string; domain: string; classification: string; title: string; body?: string; owner: string; tags: string[];
  encrypted_at_rest: boolean; created_at: string; updated_at: string; created_by: string; updated_by: string;
}
const DOMAINS = ['compliance', 'marketing', 'feedback'];
const CLASSES = ['public', 'internal', 'confidential', 'restricted'];

/** A refusal because the session lacks MFA (restricted data), from the server's problem details. */
export function needsMfa(e: unknown): boolean {
  if (!(e instanceof ApiError) || e.status !== 403) return false;
  const p = e.problem as Record<string, unknown>;
  const dec = p.decision as { code?: string } | undefined;
  return dec?.code === 'mfa_required' || p.reason === 'mfa_required' || p.reason === 'step_up_required' || /MFA/i.test(String(p.detail ?? ''));
}

function StepUp({ error }: { error: unknown }) {
  const auth = useAuth();
  return (
    <div className="alert alert-warn" role="alert" data-testid="step-up">
      <strong>MFA step-up needed</strong>
      <p>{error instanceof ApiError ? error.problem.detail : 'This document is restricted.'}</p>
      {auth.me?.mfa_enabled
        ? <><p>Sign in again with your authenticator code to open restricted documents.</p>
          <button type="button" className="btn btn-primary" onClick={() => void auth.logout()}>Sign in again with MFA</button></>
        : <p>Restricted documents need a session signed in with a second factor. <Link to="/account">Set up two-factor authentication</Link>, then sign in again.</p>}
    </div>
  );
}

function Editor({ doc, domains, onSaved, onCancel }: { doc?: Doc; domains: string[]; onSaved: (d: Doc) => void; onCancel: () => void }) {
  const [f, setF] = useState({ domain: doc?.domain ?? domains[0] ?? 'compliance', classification: doc?.classification ?? 'internal', title: doc?.title ?? '', body: doc?.body ?? '', tags: (doc?.tags ?? []).join(', ') });
  const save = useAction(async () => {
    const body = { domain: f.domain, classification: f.classification, title: f.title, body: f.body, tags: f.tags.split(',').map((t) => t.trim()).filter(Boolean) };
    onSaved(doc ? await api<Doc>(`/v1/documents/${doc.id}`, { method: 'PATCH', body }) : await api<Doc>('/v1/documents', { body }));
  });
  const up = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <form className="card" onSubmit={(e: FormEvent) => { e.preventDefault(); void save.run(); }} aria-label={doc ? 'Edit document' : 'New document'}>
      <h2>{doc ? 'Edit document' : 'New document'}</h2>
      {needsMfa(save.error) ? <StepUp error={save.error} /> : <ErrorBox error={save.error} />}
      <div className="row">
        <Field label="Domain">{(id) => <select id={id} value={f.domain} onChange={up('domain')}>{domains.map((d) => <option key={d}>{d}</option>)}</select>}</Field>
        <Field label="Classification">{(id) => <select id={id} value={f.classification} onChange={up('classification')}>{CLASSES.map((c) => <option key={c}>{c}</option>)}</select>}</Field>
      </div>
      <Field label="Title">{(id) => <input id={id} required maxLength={300} value={f.title} onChange={up('title')} />}</Field>
      <Field label="Body">{(id) => <textarea id={id} rows={8} value={f.body} onChange={up('body')} />}</Field>
      <Field label="Tags" hint="Comma-separated.">{(id, h) => <input id={id} aria-describedby={h} value={f.tags} onChange={up('tags')} />}</Field>
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={save.busy}>Save</button>
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

function Viewer({ id, canWrite, onChanged }: { id: string; canWrite: (domain: string) => boolean; onChanged: () => void }) {
  const d = useAsync(() => api<Doc>(`/v1/documents/${encodeURIComponent(id)}`), [id]);
  const [editing, setEditing] = useState(false);
  if (d.error) return needsMfa(d.error) ? <StepUp error={d.error} /> : <ErrorBox error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Loading />;
  const doc = d.data;
  if (editing) return <Editor doc={doc} domains={DOMAINS.filter(canWrite)} onCancel={() => setEditing(false)} onSaved={(x) => { d.setData(x); setEditing(false); onChanged(); }} />;
  return (
    <article className="card" aria-labelledby="doc-title">
      <h2 id="doc-title">{doc.title} <ClassBadge classification={doc.classification} /></h2>
      <p className="small muted">{doc.domain} · owner {doc.owner} · updated <Time value={doc.updated_at} /> by {doc.updated_by}{doc.encrypted_at_rest ? ' · encrypted at rest' : ''}{doc.tags.length ? ` · tags: ${doc.tags.join(', ')}` : ''}</p>
      <pre className="output">{doc.body}</pre>
      {canWrite(doc.domain) && <button type="button" className="btn" onClick={() => setEditing(true)}>Edit</button>}
    </article>
  );
}

/** Documents by domain with classification badges; view, create and edit within the caller's permissions. */
export default function Documents() {
  const auth = useAuth();
  const { query } = useLocation();
  const readable = DOMAINS.filter((d) => auth.can(`read:${d}`));
  const canWrite = (d: string) => auth.can(`write:${d}`);
  const domain = query.get('domain') ?? readable[0] ?? '';
  const open = query.get('id');
  const [cls, setCls] = useState('');
  const [creating, setCreating] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useAsync(() => api<{ documents: Doc[]; next_cursor: string | null }>(`/v1/documents${qs({ domain, classification: cls, cursor: cursors[cursors.length - 1], limit: 50 })}`), [domain, cls, cursors.length]);
  const go = (q: Record<string, string | undefined>) => navigate(`/documents${qs({ domain, ...q })}`);
  return (
    <>
      <PageHeader title="Documents">
        {DOMAINS.some(canWrite) && <button type="button" className="btn btn-primary" onClick={() => { setCreating(true); go({ id: undefined }); }}>New document</button>}
      </PageHeader>
      <div role="group" aria-label="Domain" className="segmented">
        {readable.map((d) => <button key={d} type="button" className="btn" aria-pressed={d === domain} onClick={() => { setCursors([]); navigate(`/documents?domain=${d}`); }}>{d}</button>)}
      </div>
      <label className="inline" style={{ marginLeft: '1rem' }}>Classification
        <select value={cls} onChange={(e) => { setCursors([]); setCls(e.target.value); }}><option value="">any</option>{CLASSES.map((c) => <option key={c}>{c}</option>)}</select>
      </label>
      {msg && <Notice kind="success">{msg}</Notice>}
      {creating && <Editor domains={DOMAINS.filter(canWrite)} onCancel={() => setCreating(false)} onSaved={(d) => { setCreating(false); setMsg(`Created “${d.title}”.`); list.reload(); go({ domain: d.domain, id: d.id }); }} />}
      {open && <Viewer key={open} id={open} canWrite={canWrite} onChanged={list.reload} />}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : (
        <div className="table-wrap" style={{ marginTop: '1rem' }}>
          <table>
            <thead><tr><th scope="col">Title</th><th scope="col">Classification</th><th scope="col">Owner</th><th scope="col">Tags</th><th scope="col">Updated</th></tr></thead>
            <tbody>
              {(list.data?.documents ?? []).map((d) => (
                <tr key={d.id} aria-current={d.id === open ? 'true' : undefined}>
                  <td><Link to={`/documents${qs({ domain, id: d.id })}`}>{d.title}</Link></td>
                  <td><ClassBadge classification={d.classification} /></td>
                  <td>{d.owner}</td><td className="small">{d.tags.join(', ')}</td><td><Time value={d.updated_at} /></td>
                </tr>
              ))}
              {list.data?.documents.length === 0 && <tr><td colSpan={5} className="muted">No documents in {domain} that you may read.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" className="btn" disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <button type="button" className="btn" disabled={!list.data?.next_cursor} onClick={() => setCursors([...cursors, list.data!.next_cursor!])}>Older</button>
      </div>
    </>
  );
}
