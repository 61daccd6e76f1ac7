import { api, download } from '../../api';
import { ago, ErrorBox, Loading, useAction, useAsync } from '../../ui';

interface Row { user_id: string; email: string | null; status: string; roles: string[]; unknown_roles: string[]; effective_permissions: string[]; admin_permissions: boolean; mfa_enabled: boolean; last_login_at: string | null }

/** The access review (SOC 2 CC6.2/6.3): who holds what, with MFA and last sign-in; CSV export. */
export function ReviewTab() {
  const r = useAsync(() => api<{ generated_at: string; policy_version: number; users: Row[] }>('/v1/access/review'), []);
  const csv = useAction(() => download('/v1/access/review.csv', 'warden-access-review.csv'));
  return (
    <>
      <div className="row">
        <button type="button" className="btn" onClick={() => void csv.run()} disabled={csv.busy}>Export CSV</button>
        {r.data && <span className="muted small">Generated {new Date(r.data.generated_at).toLocaleString()} · policy v{r.data.policy_version}</span>}
      </div>
      <ErrorBox error={r.error ?? csv.error} onRetry={r.reload} />
      {r.loading && !r.data ? <Loading /> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">User</th><th scope="col">Status</th><th scope="col">Roles</th><th scope="col">Effective permissions</th><th scope="col">Admin</th><th scope="col">MFA</th><th scope="col">Last sign-in</th></tr></thead>
            <tbody>
              {(r.data?.users ?? []).map((u) => (
                <tr key={u.user_id}>
                  <td>{u.email ?? u.user_id}</td><td>{u.status}</td>
                  <td>{u.roles.join(', ')}{u.unknown_roles.length ? <div className="small" style={{ color: 'var(--bad)' }}>undefined: {u.unknown_roles.join(', ')}</div> : null}</td>
                  <td className="small">{u.effective_permissions.join(', ')}</td>
                  <td>{u.admin_permissions ? <span className="badge sev-high">yes</span> : 'no'}</td>
                  <td>{u.mfa_enabled ? 'yes' : <span className="badge status-open">no</span>}</td>
                  <td>{ago(u.last_login_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
