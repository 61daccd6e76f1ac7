import { useState } from 'react';
import { api } from '../api';
import { ErrorBox, PageHeader, useAsync } from '../ui';
import { ExplainTab } from './users/ExplainTab';
import { ReviewTab } from './users/ReviewTab';
import { type Role, RolesTab } from './users/RolesTab';
import { type User, UsersTab } from './users/UsersTab';

const TABS = [{ id: 'users', label: 'Users' }, { id: 'roles', label: 'Roles' }, { id: 'review', label: 'Access review' }, { id: 'explain', label: 'Explain' }] as const;
type Tab = (typeof TABS)[number]['id'];

/** Users and access (admin:users). */
export default function Users() {
  const [tab, setTab] = useState<Tab>('users');
  const roles = useAsync(() => api<{ roles: Role[] }>('/v1/access/roles'), []);
  const perms = useAsync(() => api<{ permissions: Array<{ name: string; description: string }> }>('/v1/access/permissions'), []);
  const users = useAsync(() => (tab === 'explain' ? api<{ users: User[] }>('/v1/users?limit=500') : Promise.resolve({ users: [] as User[] })), [tab]);
  const roleNames = (roles.data?.roles ?? []).map((r) => r.name);
  return (
    <>
      <PageHeader title="Users & access" />
      <div role="tablist" aria-label="Users and access" className="tabs">
        {TABS.map((t) => (
          <button key={t.id} id={`tab-${t.id}`} role="tab" type="button" aria-selected={tab === t.id} aria-controls={`panel-${t.id}`} tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const i = TABS.findIndex((x) => x.id === tab);
              const n = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i - 1 + TABS.length) % TABS.length : -1;
              if (n >= 0) { setTab(TABS[n].id); document.getElementById(`tab-${TABS[n].id}`)?.focus(); }
            }}>{t.label}</button>
        ))}
      </div>
      <ErrorBox error={roles.error} onRetry={roles.reload} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'users' && <UsersTab roles={roleNames} />}
        {tab === 'roles' && <RolesTab roles={roles.data?.roles ?? []} permissions={perms.data?.permissions ?? []} reload={roles.reload} />}
        {tab === 'review' && <ReviewTab />}
        {tab === 'explain' && <ExplainTab users={users.data?.users ?? []} roles={roleNames} />}
      </div>
    </>
  );
}
