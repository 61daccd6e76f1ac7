import { readFileSync } from 'node:fs';
import type { Db } from '../db/types.js';
import { accessError } from './errors.js';
import { BUILTIN_ROLES, PERMISSION_NAMES } from './catalogue.js';
import { compilePolicy } from './policy.js';
import { type Mismatch, parsePolicyFile, type PolicyTestResult, runPolicyTests, withFileRoles } from './policy-file.js';
import { loadPolicy } from './store.js';

export interface AccessTestArgs { file: string; json?: boolean; database?: boolean }
interface Out { write(s: string): unknown }

function where(m: Mismatch): string {
  return m.resource ? `${m.action} ${m.resource.domain ?? ''}/${m.resource.classification ?? ''}` : m.action;
}

/**
 * `warden access test FILE`: checks the file's expectations against the built-in policy, or with
 * --database against the configured database's roles (custom roles included). Returns the exit
 * code: 0 all as expected, 1 a mismatch (a file that cannot be read or parsed throws ACCESS_POLICY_FILE_INVALID).
 */
export async function runAccessTest(args: AccessTestArgs, out: Out, openDb?: () => Promise<Db>): Promise<number> {
  let text: string;
  try { text = readFileSync(args.file, 'utf8'); } catch (e) {
    throw accessError('ACCESS_POLICY_FILE_INVALID', `cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const file = parsePolicyFile(text);
  let base = null;
  if (args.database) {
    if (!openDb) throw accessError('ACCESS_POLICY_FILE_INVALID', 'no database is configured');
    const db = await openDb();
    // built-in roles always equal the code's catalogue (a server syncs them at start); custom roles come from the database
    try {
      const rows = await loadPolicy(db);
      base = compilePolicy([...new Set([...PERMISSION_NAMES, ...rows.permissions.map((p) => p.name)])],
        [...BUILTIN_ROLES, ...rows.roles.filter((r) => !r.builtin && !BUILTIN_ROLES.some((b) => b.name === r.name))], rows.version);
    } finally { await db.close(); }
  }
  const result: PolicyTestResult = runPolicyTests(withFileRoles(base, file), file);
  if (args.json) {
    out.write(JSON.stringify({ file: args.file, source: args.database ? 'database' : 'built-in', ...result }) + '\n');
  } else {
    for (const m of result.mismatches) out.write(`FAIL ${m.label}: ${where(m)} expected ${m.expected}, got ${m.got} — ${m.reason}\n`);
    out.write(result.ok
      ? `ok: ${result.checks} checks in ${args.file} hold (${args.database ? 'database' : 'built-in'} policy)\n`
      : `${result.mismatches.length} mismatch(es) in ${result.checks} checks in ${args.file}\n`);
  }
  return result.ok ? 0 : 1;
}
