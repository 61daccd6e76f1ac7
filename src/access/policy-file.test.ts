import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestDb } from '../../test/helpers/db.js';
import { runAccessTest } from './cli.js';
import { openAccess } from './fakes.test-helpers.js';
import { parsePolicyFile, runPolicyTests, withFileRoles } from './policy-file.js';

const shipped = join(import.meta.dirname, '../../policy/guide-matrix.yaml');
const sink = () => { const lines: string[] = []; return { lines, write: (s: string) => lines.push(s) }; };
const tmp = (text: string) => { const f = join(mkdtempSync(join(tmpdir(), 'warden-policy-')), 'p.yaml'); writeFileSync(f, text); return f; };

describe('warden access test', () => {
  it('the shipped guide matrix holds against the built-in policy', async () => {
    const out = sink();
    expect(await runAccessTest({ file: shipped }, out)).toBe(0);
    expect(out.lines.at(-1)).toMatch(/^ok: \d+ checks/);
  });

  it('a widened role fails the shipped file (exactly catches grants nobody listed)', () => {
    const file = parsePolicyFile(`roles:\n  - { name: legal_team, permissions: [read:compliance, write:compliance, read:feedback, read:audit] }\n`
      + `expectations:\n  - role: legal_team\n    exactly: [read:compliance, write:compliance, read:feedback]\n`);
    const r = runPolicyTests(withFileRoles(null, file), file);
    expect(r.ok).toBe(false);
    expect(r.mismatches).toEqual([expect.objectContaining({ action: 'read:audit', got: 'allow', reason: 'allowed: role legal_team grants read:audit' })]);
  });

  it('mismatches are printed and exit 1; reasons compare exactly; unknown roles are reported', async () => {
    const out = sink();
    const f = tmp(`expectations:\n  - role: marketing_team\n    allow: [write:compliance]\n  - role: legal_team\n    action: admin:users\n    expect: deny\n    reason: "denied: nope"\n  - role: ghost\n    deny: [read:feedback]\n`);
    expect(await runAccessTest({ file: f }, out)).toBe(1);
    expect(out.lines[0]).toBe('FAIL marketing_team: write:compliance expected allow, got deny — denied: role marketing_team lacks write:compliance\n');
    expect(out.lines.join('')).toContain('expected deny (denied: nope), got deny');
    expect(out.lines.join('')).toContain('role ghost is not defined');
    const json = sink();
    await runAccessTest({ file: f, json: true }, json);
    expect(JSON.parse(json.lines[0])).toMatchObject({ ok: false, checks: 3, source: 'built-in' });
  });

  it('malformed files are refused with a reason', async () => {
    for (const [text, msg] of [['- just a list', /expectations/], ['expectations:\n  - role: x\n', /checks nothing/],
      ['expectations:\n  - role: x\n    action: read\n    expect: maybe\n', /expect: allow \| deny/], ['a: [', /not valid YAML/]] as const) {
      await expect(runAccessTest({ file: tmp(text) }, sink())).rejects.toMatchObject({ code: 'ACCESS_POLICY_FILE_INVALID', message: expect.stringMatching(msg) });
    }
  });

  it('--database tests the stored custom roles too', async () => {
    const db = await openTestDb();
    try {
      const { access } = await openAccess(db);
      await access.createRole({ type: 'bootstrap', id: 't', roles: [] }, { name: 'auditor', permissions: ['read:audit'] });
      const f = tmp('expectations:\n  - role: auditor\n    exactly: [read:audit]\n  - role: legal_team\n    exactly: [read:compliance, write:compliance, read:feedback]\n');
      const open = async () => ({ ...db, close: async () => undefined });
      expect(await runAccessTest({ file: f, database: true }, sink(), open)).toBe(0);
      expect(await runAccessTest({ file: f }, sink())).toBe(1); // the built-in policy has no auditor
    } finally { await db.close(); }
  });
});
