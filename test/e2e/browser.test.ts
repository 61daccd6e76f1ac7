import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../helpers/server.js';
import { launch, newContext, newPage, shot, signIn, totpCode } from './helpers/browser.js';

/**
 * The dashboard in a real browser (Debian's chromium via playwright-core) against the real
 * server on a free port. Users are seeded over the API; everything else goes through the UI.
 * Each test saves a screenshot in test-results/screenshots/ (docs/screenshots/ with WARDEN_UPDATE_SCREENSHOTS=1).
 */
const PASSWORD = 'Correct-Horse-Battery-9';
const ADMIN = 'admin@example.com';
const READER = 'reader@example.com';
const NEWBIE = 'newbie@example.com';

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the dashboard in a browser', () => {
  let s: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let adminPage: Page;
  let adminProblems: string[];
  let adminSecret: string;
  let restrictedId: string;

  beforeAll(async () => {
    s = await startServer({ env: { WARDEN_RATE_LIMIT: '5000' } });
    browser = await launch();
    // Seed with the bootstrap token while no admin exists: the other users first, the admin last.
    for (const [email, roles] of [[READER, ['readonly_user']], [NEWBIE, ['legal_team']], [ADMIN, ['admin']]] as const) {
      const r = await s.req('POST', '/v1/users', { body: { email, password: PASSWORD, name: email.split('@')[0], roles } });
      expect(r.status, r.text).toBe(201);
    }
    // The admin enrolls TOTP over the API, then signs in with it: an MFA session to seed data with.
    const login = await s.req('POST', '/v1/auth/login', { token: null, body: { email: ADMIN, password: PASSWORD } });
    expect(login.status, login.text).toBe(200);
    const enroll = await s.req('POST', '/v1/me/mfa/totp', { token: login.body.access_token, body: {} });
    expect(enroll.status, enroll.text).toBe(200);
    adminSecret = enroll.body.secret as string;
    const confirm = await s.req('POST', '/v1/me/mfa/totp/confirm', { token: login.body.access_token, body: { code: await totpCode(adminSecret) } });
    expect(confirm.status, confirm.text).toBe(200);
    const again = await s.req('POST', '/v1/auth/login', { token: null, body: { email: ADMIN, password: PASSWORD } });
    expect(again.body.mfa_required, again.text).toBe(true);
    const verified = await s.req('POST', '/v1/auth/mfa/verify', { token: null, body: { mfa_token: again.body.mfa_token, code: await totpCode(adminSecret) } });
    expect(verified.status, verified.text).toBe(200);
    const token: string = verified.body.access_token;
    {
      const d = await s.req('POST', '/v1/documents', { token, body: { domain: 'compliance', classification: 'restricted', title: 'Breach response contacts', body: 'Only with MFA.', tags: ['incident'] } });
      expect(d.status, d.text).toBe(201);
      restrictedId = d.body.id;
      await s.req('POST', '/v1/documents', { token, body: { domain: 'compliance', classification: 'internal', title: 'Retention policy', body: 'Seven years.' } });
    }
    {
      // Failed logins against one user from two addresses: the brute-force rules open alerts.
      const now = Date.now();
      const events = Array.from({ length: 8 }, (_, i) => ({
        type: 'auth.login.failure', time: new Date(now - (8 - i) * 1000).toISOString(), user: 'mallory@example.com',
        src_ip: i % 4 === 0 ? '198.51.100.23' : '203.0.113.9', outcome: 'failure', message: 'bad password',
      }));
      const r = await s.req('POST', '/v1/events', { token, body: events });
      expect(r.status, r.text).toBe(202);
      let last = '';
      await waitFor(async () => {
        const a = await s.req('GET', '/v1/alerts', { token });
        last = a.text;
        return (a.body.alerts?.length ?? 0) > 0;
      }).catch((e) => { throw new Error(`no alert from the ingested events: ${last}`, { cause: e }); });
    }
    admin = await newContext(browser);
    ({ page: adminPage, problems: adminProblems } = await newPage(admin));
  }, 90_000);

  afterEach(async (ctx) => {
    // A failed test leaves what the page showed in test-results/ (not committed).
    if (ctx.task.result?.state === 'fail' && adminPage) {
      await adminPage.screenshot({ path: `test-results/failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`, fullPage: true }).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('signs in with email, password and a TOTP code, and shows the overview', async () => {
    await signIn(adminPage, s.url, ADMIN, PASSWORD, adminSecret);
    await adminPage.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await adminPage.getByRole('heading', { name: 'Security events over time' }).waitFor();
    expect(Number(await adminPage.getByTestId('open-alerts-total').textContent())).toBeGreaterThan(0);
    await adminPage.getByTestId('audit-ok').waitFor();
    const week = adminPage.waitForResponse((r) => r.url().includes('/v1/overview?range=7d'));
    await adminPage.getByRole('button', { name: '7 days' }).click();
    expect((await week).status()).toBe(200);
    await adminPage.getByRole('button', { name: '24 hours' }).click();
    await adminPage.locator('.recharts-surface').first().waitFor();
    await shot(adminPage, 'overview');
    // The access token lives in memory only; the refresh token is an HttpOnly cookie.
    const storage = await adminPage.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(storage).toBe('{}{}');
    const cookies = await admin.cookies();
    expect(cookies.find((c) => c.name === 'refresh_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/v1/auth' });
    // A reload gets a new access token through the cookie (with the CSRF header) and stays signed in.
    await adminPage.reload();
    await adminPage.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(adminProblems).toEqual([]);
  }, 30_000);

  it('enrolls MFA on a fresh user: QR code, first code, backup codes shown once', async () => {
    const ctx = await newContext(browser);
    const { page, problems } = await newPage(ctx);
    await signIn(page, s.url, NEWBIE, PASSWORD, undefined, false); // lands on enrollment, not the shell
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code from your app').fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBeGreaterThanOrEqual(8);
    await page.getByRole('button', { name: 'Download' }).waitFor();
    await shot(page, 'mfa-enrollment');
    await page.getByLabel('I have saved these codes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('link', { name: 'Documents' }).waitFor();
    expect(problems).toEqual([]);
    await ctx.close();
  }, 30_000);

  it('acknowledges an alert with a note', async () => {
    await adminPage.getByRole('link', { name: 'Alerts', exact: true }).click();
    await adminPage.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await adminPage.getByLabel('Status').selectOption('open');
    const first = adminPage.locator('tbody tr a').first();
    await first.click();
    await adminPage.getByRole('heading', { name: 'Evidence', exact: false }).waitFor();
    await adminPage.getByLabel('Note (optional)').fill('Known pen test from the red team.');
    await adminPage.getByRole('button', { name: 'Acknowledge' }).click();
    await adminPage.getByText('Alert acknowledged.').waitFor();
    await adminPage.locator('.badge.status-acknowledged').first().waitFor();
    await adminPage.getByText('Known pen test from the red team.').waitFor();
    await shot(adminPage, 'alert');
    expect(adminProblems).toEqual([]);
  }, 30_000);

  it('filters the audit log and verifies the chain', async () => {
    await adminPage.getByRole('link', { name: 'Audit log' }).click();
    await adminPage.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await adminPage.locator('tbody tr').first().waitFor();
    await adminPage.getByLabel('Action').fill('auth.login*');
    const filtered = adminPage.waitForResponse((r) => r.url().includes('/v1/audit?') && r.url().includes('action=auth.login'));
    await adminPage.getByRole('button', { name: 'Filter' }).click();
    expect((await filtered).status()).toBe(200);
    await adminPage.waitForFunction(() => [...document.querySelectorAll('tbody tr td:nth-child(4) code')].every((c) => c.textContent?.startsWith('auth.login')));
    const actions = await adminPage.locator('tbody tr td:nth-child(4) code').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) expect(a.startsWith('auth.login')).toBe(true);
    await adminPage.getByRole('button', { name: 'Details' }).first().click();
    await adminPage.locator('pre.json').first().waitFor();
    await adminPage.getByRole('button', { name: 'Verify chain' }).click();
    await adminPage.getByTestId('verify-result').waitFor();
    await shot(adminPage, 'audit');
    expect(adminProblems).toEqual([]);
  }, 30_000);

  it('refuses a restricted document without MFA and asks for step-up', async () => {
    const ctx = await newContext(browser);
    const { page, problems } = await newPage(ctx);
    await signIn(page, s.url, READER, PASSWORD);
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await page.goto(`${s.url}/documents?domain=compliance&id=${restrictedId}`);
    const refusal = page.getByTestId('step-up');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/MFA/);
    expect(await page.getByText('Only with MFA.').count()).toBe(0);
    await shot(page, 'document-step-up');
    // Signing out ends the session: a reload finds no refresh cookie to sign in with.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('form', { name: 'Sign in', exact: true }).waitFor();
    expect((await ctx.cookies()).find((c) => c.name === 'refresh_token')).toBeUndefined();
    expect(problems).toEqual([]);
    await ctx.close();
  }, 30_000);

  it('anonymizes a text in the PII playground and restores it', async () => {
    await adminPage.getByRole('link', { name: 'PII playground' }).click();
    await adminPage.getByLabel('Text to scan').fill('Write to maria.garcia@example.com or call +1 415 555 0134 about card 4111 1111 1111 1111.');
    await adminPage.getByRole('button', { name: 'Scan' }).click();
    await adminPage.locator('mark.pii').first().waitFor();
    await adminPage.getByLabel('Default operator').selectOption('pseudonymize');
    await adminPage.getByRole('button', { name: 'Anonymize' }).click();
    const out = adminPage.getByTestId('anonymized');
    await out.waitFor();
    const text = (await out.textContent())!;
    expect(text).not.toContain('maria.garcia@example.com');
    expect(text).not.toContain('4111 1111 1111 1111');
    await adminPage.getByRole('button', { name: 'Restore' }).click();
    await adminPage.getByText('Identical to the input.').waitFor();
    await shot(adminPage, 'pii');
    expect(adminProblems).toEqual([]);
  }, 30_000);
});
