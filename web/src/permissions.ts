/**
 * What a role may do, for deciding what to show. The server decides what is allowed; this only
 * hides what would be refused. Prefer the server's list (me.permissions); fall back to the
 * built-in roles of the access catalogue for a user whose roles are all built-in.
 */
const BUILTIN: Record<string, string[]> = {
  legal_team: ['read:compliance', 'write:compliance', 'read:feedback'],
  marketing_team: ['read:marketing', 'write:marketing', 'read:feedback'],
  product_team: ['read:feedback', 'write:feedback', 'read:marketing'],
  readonly_user: ['read:compliance', 'read:marketing', 'read:feedback'],
};

export function permissionsFromRoles(roles: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const r of roles) for (const p of BUILTIN[r] ?? []) out.add(p);
  return out;
}
