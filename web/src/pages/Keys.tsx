import { useState } from 'react';
import { api } from '../api';
import { ago, ErrorBox, Loading, Notice, PageHeader, Time, useAction, useAsync } from '../ui';

interface KeyInfo {
  name: string; type: string; latest_version: number; min_decryption_version?: number; deletion_protection?: boolean;
  created_at: string; rotated_at?: string; rotation_due_at?: string; overdue?: boolean;
  versions?: Array<{ version: number; created_at: string }>;
}

/** Keys (admin): the keyring's keys and versions, their rotation age; rotate. */
export default function Keys() {
  const list = useAsync(() => api<{ keys: KeyInfo[] }>('/v1/keys'), []);
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const rotate = useAction(async (name: string) => {
    const k = await api<KeyInfo>(`/v1/keys/${encodeURIComponent(name)}/rotate`, { body: {} });
    setDone(`${name} rotated: version ${k.latest_version} is now primary.`);
    list.reload();
  });
  const keys = list.data?.keys ?? [];
  return (
    <>
      <PageHeader title="Keys" />
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBox error={list.error ?? rotate.error} onRetry={list.reload} />
      {list.loading && !list.data ? <Loading /> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Version</th><th scope="col">Last rotated</th><th scope="col">Rotation due</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {keys.map((k) => {
                const rotated = k.rotated_at ?? k.created_at;
                return [
                  <tr key={k.name}>
                    <td><code>{k.name}</code>{k.deletion_protection ? <span className="muted small"> protected</span> : null}</td>
                    <td>{k.type}</td>
                    <td className="num">v{k.latest_version}{k.min_decryption_version && k.min_decryption_version > 1 ? <span className="muted small"> (decrypts ≥ v{k.min_decryption_version})</span> : null}</td>
                    <td><span title={rotated}>{ago(rotated)}</span></td>
                    <td>{k.overdue ? <span className="badge sev-high">overdue</span> : <Time value={k.rotation_due_at} />}</td>
                    <td className="row">
                      <button type="button" className="btn btn-small" aria-expanded={open === k.name} onClick={() => setOpen(open === k.name ? null : k.name)}>Versions<span className="sr-only"> of {k.name}</span></button>
                      <button type="button" className="btn btn-small" disabled={rotate.busy}
                        onClick={() => { if (confirm(`Rotate ${k.name}? New encryptions use the new version; old versions still decrypt.`)) void rotate.run(k.name); }}>Rotate<span className="sr-only"> {k.name}</span></button>
                    </td>
                  </tr>,
                  open === k.name && (
                    <tr key={`${k.name}-v`} className="details-row"><td colSpan={6}>
                      <ul className="plain">{(k.versions ?? []).slice().reverse().map((v) => <li key={v.version}>v{v.version} — created <Time value={v.created_at} /> ({ago(v.created_at)})</li>)}</ul>
                    </td></tr>
                  ),
                ];
              })}
              {keys.length === 0 && <tr><td colSpan={6} className="muted">No keys yet.</td></tr>}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
