import type { Queryable } from '../db/types.js';
import type { AccessPrincipal, AccessUser, AccessUsers } from './index.js';

/**
 * The user directory access reads, as the identity capability offers it (structurally: access
 * does not import identity). Composition roots wrap it with accessUsersFrom.
 */
export interface DirectorySource {
  getUser(id: string): Promise<{ id: string; email?: string | null; status: string; roles: string[]; mfa_enabled?: boolean; last_login_at?: string | null } | null>;
  listUsers(opts: { after?: string; limit?: number }): Promise<{ users: Array<NonNullable<Awaited<ReturnType<DirectorySource['getUser']>>>>; next_cursor: string | null }>;
  /** `within` runs inside the directory's transaction, after the change, with the roles as they were. */
  updateUser(id: string, patch: { roles: string[] }, actor: { type: AccessPrincipal['type']; id: string },
    opts: { within: (tx: Queryable, before: { roles: string[] }) => Promise<void> }): Promise<unknown>;
}

/** A disabled user acts no more, whatever its live tokens say; a locked-out one keeps its sessions. */
const isActive = (status: string) => status !== 'disabled';

export function accessUsersFrom(src: DirectorySource): AccessUsers {
  return {
    async getUser(id) {
      const u = await src.getUser(id);
      return u ? { roles: u.roles, active: isActive(u.status) } : null;
    },
    async listUsers() {
      const out: AccessUser[] = [];
      let after: string | undefined;
      for (let i = 0; i < 10_000; i++) {
        const page = await src.listUsers({ after, limit: 500 });
        for (const u of page.users) {
          out.push({ id: u.id, email: u.email ?? null, status: u.status, roles: u.roles, mfa_enabled: !!u.mfa_enabled, last_login_at: u.last_login_at ?? null });
        }
        if (!page.next_cursor) break;
        after = page.next_cursor;
      }
      return out;
    },
    async setRoles(id, roles, actor, within) {
      if (!(await src.getUser(id))) return null;
      let before: string[] = [];
      await src.updateUser(id, { roles }, actor, { within: async (tx, was) => { before = was.roles; await within(tx, was.roles); } });
      return { before };
    },
  };
}
