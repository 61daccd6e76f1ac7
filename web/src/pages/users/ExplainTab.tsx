import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { ErrorBox, Json, useAction } from '../../ui';
import type { User } from './UsersTab';

interface Explained {
  decision: { allowed: boolean; permission: string; code: string; reason: string; granted_by: string | null; roles: string[] };
  subject?: { type: string; id: string | null; current_roles?: string[]; roles_source?: string; mfa?: boolean };
  effective_permissions?: string[]; protection?: Record<string, unknown> | null; policy_version?: number;
}

/** "Explain" a decision: would this user (or set of roles) be allowed this action on this resource, and why. */
export function ExplainTab({ users, roles }: { users: User[]; roles: string[] }) {
  const [who, setWho] = useState<'user' | 'roles'>('user');
  const [userId, setUserId] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [action, setAction] = useState('read');
  const [domain, setDomain] = useState('compliance');
  const [classification, setClassification] = useState('internal');
  const [mfa, setMfa] = useState(false);
  const [result, setResult] = useState<Explained | null>(null);
  const verb = ['read', 'write', 'delete', 'export'].includes(action);
  const run = useAction(async () => {
    const body: Record<string, unknown> = { action, ...(verb ? { resource: { type: 'document', domain, classification } } : {}), ...(mfa ? { amr: ['pwd', 'otp'] } : { amr: ['pwd'] }) };
    if (who === 'user') body.user_id = userId; else body.roles = picked;
    setResult(await api<Explained>('/v1/access/explain', { body }));
  });
  return (
    <>
      <form className="filters" aria-label="Explain a decision" onSubmit={(e: FormEvent) => { e.preventDefault(); void run.run(); }}>
        <label>Ask about
          <select value={who} onChange={(e) => setWho(e.target.value as 'user' | 'roles')}><option value="user">a user</option><option value="roles">a set of roles</option></select>
        </label>
        {who === 'user'
          ? <label>User<select required value={userId} onChange={(e) => setUserId(e.target.value)}><option value="">choose…</option>{users.map((u) => <option key={u.id} value={u.id}>{u.email}</option>)}</select></label>
          : <fieldset className="ops"><legend>Roles</legend>{roles.map((r) => <label key={r}><input type="checkbox" checked={picked.includes(r)} onChange={(e) => setPicked(e.target.checked ? [...picked, r] : picked.filter((x) => x !== r))} /> {r}</label>)}</fieldset>}
        <label>Action<input value={action} onChange={(e) => setAction(e.target.value)} list="explain-actions" required /></label>
        <datalist id="explain-actions">{['read', 'write', 'delete', 'export', 'admin:users', 'admin:keys', 'read:audit', 'use:pii'].map((a) => <option key={a} value={a} />)}</datalist>
        {verb && <>
          <label>Domain<select value={domain} onChange={(e) => setDomain(e.target.value)}>{['compliance', 'marketing', 'feedback'].map((d) => <option key={d}>{d}</option>)}</select></label>
          <label>Classification<select value={classification} onChange={(e) => setClassification(e.target.value)}>{['public', 'internal', 'confidential', 'restricted'].map((c) => <option key={c}>{c}</option>)}</select></label>
        </>}
        <label className="check"><input type="checkbox" checked={mfa} onChange={(e) => setMfa(e.target.checked)} /> signed in with MFA</label>
        <button type="submit" className="btn btn-primary" disabled={run.busy}>Explain</button>
      </form>
      <ErrorBox error={run.error} />
      {result && (
        <section className="card" aria-live="polite">
          <h2>{result.decision.allowed ? <span className="ok">Allowed</span> : <span className="bad">Denied</span>} <code>{result.decision.permission}</code></h2>
          <p>{result.decision.reason}</p>
          <p className="small muted">code {result.decision.code}{result.decision.granted_by ? ` · granted by role ${result.decision.granted_by}` : ''}{result.policy_version ? ` · policy v${result.policy_version}` : ''}</p>
          <details><summary>Everything that led to it</summary><Json value={result} /></details>
        </section>
      )}
    </>
  );
}
