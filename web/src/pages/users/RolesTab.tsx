import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { ErrorBox, Field, Notice, useAction } from '../../ui';

export interface Role { name: string; description?: string; builtin?: boolean; superuser?: boolean; permissions: string[] }

/** Roles and their permissions; custom roles can be created, edited and deleted. */
export function RolesTab({ roles, permissions, reload }: { roles: Role[]; permissions: Array<{ name: string; description: string }>; reload: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const save = useAction(async () => {
    if (editing) await api(`/v1/access/roles/${encodeURIComponent(editing)}`, { method: 'PATCH', body: { description, permissions: picked } });
    else await api('/v1/access/roles', { body: { name, description, permissions: picked } });
    setMsg(editing ? `Role ${editing} saved.` : `Role ${name} created.`);
    setEditing(null); setName(''); setDescription(''); setPicked([]); reload();
  });
  const del = useAction(async (r: string) => { await api(`/v1/access/roles/${encodeURIComponent(r)}`, { method: 'DELETE' }); setMsg(`Role ${r} deleted.`); reload(); });
  return (
    <>
      {msg && <Notice kind="success">{msg}</Notice>}
      <ErrorBox error={del.error} />
      <div className="table-wrap">
        <table>
          <thead><tr><th scope="col">Role</th><th scope="col">Permissions</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {roles.map((r) => (
              <tr key={r.name}>
                <td><strong>{r.name}</strong> {r.builtin ? <span className="badge sev-info">built-in</span> : <span className="badge cls-internal">custom</span>}<div className="muted small">{r.description}</div></td>
                <td className="small">{r.superuser ? 'all permissions' : r.permissions.map((p) => <code key={p} className="kv">{p}</code>)}</td>
                <td className="row">{!r.builtin && <>
                  <button type="button" className="btn btn-small" onClick={() => { setEditing(r.name); setName(r.name); setDescription(r.description ?? ''); setPicked(r.permissions); }}>Edit<span className="sr-only"> {r.name}</span></button>
                  <button type="button" className="btn btn-small btn-danger" disabled={del.busy} onClick={() => { if (confirm(`Delete role ${r.name}?`)) void del.run(r.name); }}>Delete<span className="sr-only"> {r.name}</span></button>
                </>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card" aria-labelledby="role-form">
        <h2 id="role-form">{editing ? `Edit role ${editing}` : 'Create a custom role'}</h2>
        <ErrorBox error={save.error} />
        <form onSubmit={(e: FormEvent) => { e.preventDefault(); void save.run(); }} aria-label={editing ? 'Edit role' : 'Create role'}>
          {!editing && <Field label="Name" hint="Lower case letters, digits and _ (e.g. security_analyst).">{(id, h) => <input id={id} required pattern="[a-z][a-z0-9_]{1,47}" aria-describedby={h} value={name} onChange={(e) => setName(e.target.value)} />}</Field>}
          <Field label="Description">{(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
          <fieldset className="ops"><legend>Permissions</legend>
            {permissions.map((p) => <label key={p.name} title={p.description}><input type="checkbox" checked={picked.includes(p.name)} onChange={(e) => setPicked(e.target.checked ? [...picked, p.name] : picked.filter((x) => x !== p.name))} /> <code>{p.name}</code></label>)}
          </fieldset>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={save.busy}>{editing ? 'Save role' : 'Create role'}</button>
            {editing && <button type="button" className="btn" onClick={() => { setEditing(null); setName(''); setDescription(''); setPicked([]); }}>Cancel</button>}
          </div>
        </form>
      </section>
    </>
  );
}
