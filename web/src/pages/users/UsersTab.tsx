import { type FormEvent, useState } from 'react';
import { api, qs } from '../../api';
import { ago, ErrorBox, Field, Loading, Notice, useAction, useAsync } from '../../ui';

export interface User {
  id: string; email: string; name?: string; status: string; roles: string[]; mfa_enabled?: boolean;
  created_at?: string; last_login_at?: string | null; locked_until?: string | null;
}

function CreateUser({ roles, onCreated }: { roles: string[]; onCreated: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const create = useAction(async () => {
    await api('/v1/users', { body: { email, password, ...(name ? { name } : {}), roles: picked } });
    setEmail(''); setName(''); setPassword(''); setPicked([]); onCreated();
  });
  return (
    <details className="card">
      <summary><strong>Create a user</strong></summary>
      <ErrorBox error={create.error} />
      <form onSubmit={(e: FormEvent) => { e.preventDefault(); void create.run(); }} aria-label="Create a user">
        <Field label="Email">{(id) => <input id={id} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
        <Field label="Name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="Initial password" hint="The user should change it after the first sign-in.">{(id, h) => <input id={id} type="password" autoComplete="new-password" required aria-describedby={h} value={password} onChange={(e) => setPassword(e.target.value)} />}</Field>
        <fieldset className="ops"><legend>Roles</legend>
          {roles.map((r) => <label key={r}><input type="checkbox" checked={picked.includes(r)} onChange={(e) => setPicked(e.target.checked ? [...picked, r] : picked.filter((x) => x !== r))} /> {r}</label>)}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={create.busy}>Create user</button>
      </form>
    </details>
  );
}

function RoleEditor({ user, roles, onSaved, onCancel }: { user: User; roles: string[]; onSaved: () => void; onCancel: () => void }) {
  const [picked, setPicked] = useState<string[]>(user.roles);
  const save = useAction(async () => { await api(`/v1/access/users/${encodeURIComponent(user.id)}/roles`, { method: 'PUT', body: { roles: picked } }); onSaved(); });
  return (
    <div>
      <ErrorBox error={save.error} />
      <fieldset className="ops"><legend>Roles of {user.email}</legend>
        {roles.map((r) => <label key={r}><input type="checkbox" checked={picked.includes(r)} onChange={(e) => setPicked(e.target.checked ? [...picked, r] : picked.filter((x) => x !== r))} /> {r}</label>)}
      </fieldset>
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={save.busy} onClick={() => void save.run()}>Save roles</button>
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}

/** Users: list, create, roles, lock/unlock, disable/enable, reset MFA, revoke sessions. */
export function UsersTab({ roles }: { roles: string[] }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useAsync(() => api<{ users: User[]; next_cursor: string | null }>(`/v1/users${qs({ cursor: cursors[cursors.length - 1], limit: 50 })}`), [cursors.length]);
  const [editing, setEditing] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const act = useAction(async (label: string, path: string, method: string, body?: unknown) => {
    await api(path, { method, body: body ?? (method === 'POST' ? {} : undefined) });
    setMsg(label); list.reload();
  });
  const users = list.data?.users ?? [];
  return (
    <>
      <CreateUser roles={roles} onCreated={() => { setMsg('User created.'); list.reload(); }} />
      {msg && <Notice kind="success">{msg}</Notice>}
      <ErrorBox error={list.error ?? act.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">User</th><th scope="col">Status</th><th scope="col">Roles</th><th scope="col">MFA</th><th scope="col">Last sign-in</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {users.map((u) => {
                const locked = u.status === 'locked' || (u.locked_until && new Date(u.locked_until) > new Date());
                const id = encodeURIComponent(u.id);
                return [
                  <tr key={u.id}>
                    <td><strong>{u.email}</strong>{u.name ? <div className="muted small">{u.name}</div> : null}</td>
                    <td><span className={`badge ${u.status === 'active' && !locked ? 'status-resolved' : 'status-open'}`}>{locked ? 'locked' : u.status}</span></td>
                    <td>{u.roles.join(', ') || <span className="muted">none</span>}</td>
                    <td>{u.mfa_enabled ? 'yes' : 'no'}</td>
                    <td>{ago(u.last_login_at)}</td>
                    <td className="row">
                      <button type="button" className="btn btn-small" onClick={() => setEditing(editing === u.id ? null : u.id)} aria-expanded={editing === u.id}>Roles<span className="sr-only"> of {u.email}</span></button>
                      {locked && <button type="button" className="btn btn-small" disabled={act.busy} onClick={() => void act.run(`${u.email} unlocked.`, `/v1/users/${id}/unlock`, 'POST')}>Unlock</button>}
                      {u.status === 'active'
                        ? <button type="button" className="btn btn-small btn-danger" disabled={act.busy} onClick={() => { if (confirm(`Disable ${u.email}? Their sessions end now.`)) void act.run(`${u.email} disabled.`, `/v1/users/${id}`, 'PATCH', { status: 'disabled' }); }}>Disable</button>
                        : u.status === 'disabled' && <button type="button" className="btn btn-small" disabled={act.busy} onClick={() => void act.run(`${u.email} enabled.`, `/v1/users/${id}`, 'PATCH', { status: 'active' })}>Enable</button>}
                      {u.mfa_enabled && <button type="button" className="btn btn-small" disabled={act.busy} onClick={() => { if (confirm(`Reset MFA of ${u.email}? They must enroll again.`)) void act.run(`MFA of ${u.email} reset.`, `/v1/users/${id}/mfa`, 'DELETE'); }}>Reset MFA</button>}
                      <button type="button" className="btn btn-small" disabled={act.busy} onClick={() => void act.run(`Sessions of ${u.email} revoked.`, `/v1/users/${id}/sessions/revoke`, 'POST')}>Sign out everywhere</button>
                    </td>
                  </tr>,
                  editing === u.id && <tr key={`${u.id}-roles`} className="details-row"><td colSpan={6}>
                    <RoleEditor user={u} roles={roles} onCancel={() => setEditing(null)} onSaved={() => { setEditing(null); setMsg(`Roles of ${u.email} saved.`); list.reload(); }} />
                  </td></tr>,
                ];
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        <button type="button" className="btn" disabled={!cursors.length} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
        <button type="button" className="btn" disabled={!list.data?.next_cursor} onClick={() => setCursors([...cursors, list.data!.next_cursor!])}>Next</button>
      </div>
    </>
  );
}
