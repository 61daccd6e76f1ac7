import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { useAuth } from '../auth';
import { ago, ErrorBox, Field, Loading, Notice, PageHeader, Time, useAction, useAsync } from '../ui';
import { EnrollTotp } from './Enroll';

interface Session { id: string; created_at: string; last_seen_at: string; expires_at: string; ip: string | null; user_agent: string | null; device?: string; current?: boolean }

function Sessions() {
  const list = useAsync(() => api<{ sessions: Session[] }>('/v1/me/sessions'), []);
  const [msg, setMsg] = useState<string | null>(null);
  const revoke = useAction(async (id: string) => { await api(`/v1/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }); setMsg('Session revoked.'); list.reload(); });
  const others = useAction(async () => { const r = await api<{ revoked: number }>('/v1/me/sessions/revoke-others', { body: {} }); setMsg(`${r.revoked} other session(s) revoked.`); list.reload(); });
  const rows = list.data?.sessions ?? [];
  return (
    <section className="card" aria-labelledby="sessions">
      <h2 id="sessions">My sessions</h2>
      {msg && <Notice kind="success">{msg}</Notice>}
      <ErrorBox error={list.error ?? revoke.error ?? others.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : (
        <table>
          <thead><tr><th scope="col">Device</th><th scope="col">IP</th><th scope="col">Signed in</th><th scope="col">Last active</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.id}>
                <td>{s.device ?? s.user_agent ?? 'unknown'}{s.current && <> <span className="badge status-resolved">this session</span></>}</td>
                <td>{s.ip ?? '—'}</td>
                <td><Time value={s.created_at} /></td>
                <td>{ago(s.last_seen_at)}</td>
                <td>{!s.current && <button type="button" className="btn btn-small btn-danger" disabled={revoke.busy} onClick={() => void revoke.run(s.id)}>Revoke<span className="sr-only"> session from {s.ip ?? 'unknown'}</span></button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.filter((s) => !s.current).length > 0 && <button type="button" className="btn btn-danger" disabled={others.busy} onClick={() => void others.run()}>Revoke all other sessions</button>}
    </section>
  );
}

function Password() {
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const change = useAction(async () => {
    const r = await api<{ revoked_sessions?: number }>('/v1/me/password', { body: { current_password: cur, new_password: next } });
    setCur(''); setNext(''); setAgain('');
    setMsg(`Password changed.${r?.revoked_sessions ? ` ${r.revoked_sessions} other session(s) were signed out.` : ''}`);
  });
  const mismatch = again.length > 0 && next !== again;
  return (
    <section className="card" aria-labelledby="pw">
      <h2 id="pw">Change password</h2>
      {msg && <Notice kind="success">{msg}</Notice>}
      <ErrorBox error={change.error} />
      <form onSubmit={(e: FormEvent) => { e.preventDefault(); if (!mismatch) { setMsg(null); void change.run(); } }} aria-label="Change password">
        <Field label="Current password">{(id) => <input id={id} type="password" autoComplete="current-password" required value={cur} onChange={(e) => setCur(e.target.value)} />}</Field>
        <Field label="New password" hint="Long passphrases work best; common and breached passwords are refused.">{(id, h) => <input id={id} type="password" autoComplete="new-password" required aria-describedby={h} value={next} onChange={(e) => setNext(e.target.value)} />}</Field>
        <Field label="New password again">{(id) => <input id={id} type="password" autoComplete="new-password" required aria-invalid={mismatch} value={again} onChange={(e) => setAgain(e.target.value)} />}</Field>
        {mismatch && <p className="small" role="alert" style={{ color: 'var(--bad)' }}>The two new passwords differ.</p>}
        <button type="submit" className="btn btn-primary" disabled={change.busy || mismatch}>Change password</button>
      </form>
    </section>
  );
}

/** My account: sessions, password, two-factor authentication. */
export default function Account() {
  const auth = useAuth();
  const [enrolling, setEnrolling] = useState(false);
  const me = auth.me;
  const isUser = me?.principal_type === undefined || me.principal_type === 'user';
  return (
    <>
      <PageHeader title="My account" />
      <dl className="facts">
        <div><dt>Email</dt><dd>{me?.email ?? '—'}</dd></div>
        <div><dt>Roles</dt><dd>{me?.roles.join(', ') || '—'}</dd></div>
        <div><dt>Two-factor</dt><dd>{me?.mfa_enabled ? <span className="badge status-resolved">enabled</span> : <span className="badge status-open">not set up</span>}</dd></div>
        <div><dt>This sign-in</dt><dd>{auth.amr.length ? auth.amr.join(' + ') : '—'}</dd></div>
      </dl>
      {!isUser ? <Notice>Signed in with an API key: there are no sessions or password to manage.</Notice> : (
        <div className="cards wide-cards">
          <Sessions />
          <Password />
          <section className="card" aria-labelledby="mfa">
            <h2 id="mfa">Two-factor authentication</h2>
            {me?.mfa_enabled && !enrolling ? <p>An authenticator app is set up. Sign-ins ask for its code.</p>
              : enrolling ? <EnrollTotp onDone={() => { setEnrolling(false); void auth.reload(); }} />
                : <><p>Add an authenticator app for a second factor at sign-in.</p><button type="button" className="btn btn-primary" onClick={() => setEnrolling(true)}>Set up</button></>}
          </section>
        </div>
      )}
    </>
  );
}
