/**
 * access benchmark: prints one JSON line.
 * - checks/s through the real door's in-process check (access.checkCached: per-user cached
 *   effective-permission bitsets under the compiled policy), 10,000 users, 100 roles
 *   (the guide's 5 + 95 custom) and 1,000 custom grants over 200 permissions;
 * - the same through the async check (what every request awaits, cache hits);
 * - a naive baseline in the same run that recomputes the user's permission set from its
 *   roles on every check, and the ratio. Both agree on every decision (checked).
 * The policy lives in an in-memory PGlite; nothing is contacted over the network.
 */
import { pathToFileURL } from 'node:url';
import { migrate, openPglite } from '../src/db/index.js';
import { createAccess, type AccessPrincipal, type AccessUser } from '../src/access/index.js';
import { PERMISSIONS } from '../src/access/catalogue.js';
import { manualClock } from '../src/clock.js';

const USERS = 10_000;
const CUSTOM_ROLES = 95;
const GRANTS = 1_000;
const EXTRA_PERMISSIONS = 200 - PERMISSIONS.length;
const CHECKS = 1 << 20;

function rng(seed: number) {
  let x = seed;
  return () => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x / 0x7fffffff; };
}

/**
 * Runs fn (CHECKS checks per call) for at least minMs of CPU time. Rates are per second of this
 * process's CPU time (one core, single-threaded loop), so a busy shared machine does not skew
 * them; the wall-clock rate is reported beside.
 */
function timeLoop(fn: () => number, minMs = 1500): { per_s: number; wall_per_s: number; cpu_ms: number; sink: number } {
  fn(); // warm-up
  let rounds = 0; let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let cpuMs = 0;
  while (cpuMs < minMs) {
    sink += fn(); rounds++;
    const c = process.cpuUsage(c0);
    cpuMs = (c.user + c.system) / 1000;
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return { per_s: Math.round((rounds * CHECKS) / (cpuMs / 1000)), wall_per_s: Math.round((rounds * CHECKS) / (wallMs / 1000)), cpu_ms: Math.round(cpuMs), sink };
}

export async function run(): Promise<Record<string, unknown>> {
  const rnd = rng(42);
  const db = await openPglite();
  await migrate(db);
  const clock = manualClock('2026-03-01T00:00:00Z');
  const users = new Map<string, AccessUser>();
  const access = await createAccess({
    db, clock, cacheMs: 3_600_000,
    audit: { append: async () => undefined }, events: { emit: async () => undefined },
    users: {
      getUser: async (id) => { const u = users.get(id); return u ? { roles: u.roles, active: true } : null; },
      listUsers: async () => [...users.values()], setRoles: async () => null,
    },
  });
  // 180 more permissions in the catalogue table, then 95 custom roles holding 1,000 grants between them
  const extra = Array.from({ length: EXTRA_PERMISSIONS }, (_, i) => `read:resource_${i}`);
  for (const p of extra) await db.query('INSERT INTO access_permissions (name, description, builtin) VALUES ($1, $2, false)', [p, 'bench']);
  await access.refresh();
  const allPerms = [...PERMISSIONS.map((p) => p.name), ...extra];
  const root: AccessPrincipal = { type: 'bootstrap', id: 'bench', roles: [] };
  const customPerms: string[][] = Array.from({ length: CUSTOM_ROLES }, () => []);
  for (let g = 0; g < GRANTS; g++) {
    const r = g % CUSTOM_ROLES;
    let p: string;
    do { p = allPerms[Math.floor(rnd() * allPerms.length)]; } while (customPerms[r].includes(p));
    customPerms[r].push(p);
  }
  for (let r = 0; r < CUSTOM_ROLES; r++) await access.createRole(root, { name: `custom_${r}`, permissions: customPerms[r] });
  const roleNames = [...access.policy().roles.keys()];
  for (let u = 0; u < USERS; u++) {
    const n = 1 + Math.floor(rnd() * 3);
    const roles = new Set<string>();
    while (roles.size < n) roles.add(roleNames[Math.floor(rnd() * roleNames.length)]);
    users.set(`user${u}`, { id: `user${u}`, status: 'active', roles: [...roles], mfa_enabled: false, last_login_at: null });
  }
  const principals: AccessPrincipal[] = [...users.keys()].map((id) => ({ type: 'user', id, roles: [], amr: ['pwd'] }));
  for (const p of principals) await access.check(p, 'read:feedback'); // warm the per-user cache (what live traffic does)

  const who = new Uint32Array(CHECKS);
  const what: string[] = new Array(CHECKS);
  for (let i = 0; i < CHECKS; i++) { who[i] = Math.floor(rnd() * USERS); what[i] = allPerms[Math.floor(rnd() * allPerms.length)]; }

  // naive baseline: the user's roles → a fresh permission set on every check
  const rolePerms = new Map<string, string[]>([...access.policy().roles.values()].map((r) => [r.name, [...r.permissions]]));
  const userRoles = principals.map((p) => users.get(p.id)!.roles);
  const naive = (u: number, perm: string): boolean => {
    const set = new Set<string>();
    for (const r of userRoles[u]) for (const p of rolePerms.get(r) ?? []) set.add(p);
    return set.has(perm);
  };

  let disagreements = 0;
  let allowed = 0;
  for (let i = 0; i < 200_000; i++) {
    const a = access.checkCached(principals[who[i]], what[i]).allowed;
    if (a !== naive(who[i], what[i])) disagreements++;
    if (a) allowed++;
  }

  const fast = timeLoop(() => { let n = 0; for (let i = 0; i < CHECKS; i++) if (access.checkCached(principals[who[i]], what[i]).allowed) n++; return n; });
  const base = timeLoop(() => { let n = 0; for (let i = 0; i < CHECKS; i++) if (naive(who[i], what[i])) n++; return n; });
  const asyncN = 200_000;
  const c0 = process.cpuUsage();
  for (let i = 0; i < asyncN; i++) await access.check(principals[who[i]], what[i]);
  const c1 = process.cpuUsage(c0);
  const asyncPerS = Math.round(asyncN / ((c1.user + c1.system) / 1e6));
  const doc = { type: 'document', domain: 'compliance', classification: 'confidential' as const };
  const res = timeLoop(() => { let n = 0; for (let i = 0; i < CHECKS; i++) if (access.checkCached(principals[who[i]], 'read', doc).allowed) n++; return n; }, 800);
  await db.close();
  return {
    users: USERS, roles: roleNames.length, custom_grants: GRANTS, permissions: allPerms.length,
    checks_per_s: fast.per_s, baseline_checks_per_s: base.per_s, ratio: Math.round((fast.per_s / base.per_s) * 10) / 10,
    wall_checks_per_s: fast.wall_per_s, wall_baseline_checks_per_s: base.wall_per_s, rates: 'per CPU-second of one core',
    async_check_per_s: asyncPerS, document_checks_per_s: res.per_s,
    allowed_share: Math.round((allowed / 200_000) * 1000) / 1000, disagreements_with_baseline: disagreements,
    target_checks_per_s: 1_000_000, node: process.version,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.error(e); process.exit(1); });
}
