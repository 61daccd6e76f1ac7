import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OTPAuth from 'otpauth';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium, installed by scripts/install-chromium.sh. */
export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Screenshots go to test-results/; WARDEN_UPDATE_SCREENSHOTS=1 refreshes the README's copies in docs/screenshots/. */
export const SCREENSHOTS = join(ROOT, process.env.WARDEN_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots');
export const DIST_INDEX = join(ROOT, 'web/dist/index.html');

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
  if (!existsSync(DIST_INDEX)) throw new Error('web/dist is missing: run npm run build:web (npm install does it)');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A page that records console errors and CSP violations, so a test can assert there were none. */
export async function newPage(ctx: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(10_000);
  return { page, problems };
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme: 'light' });
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * TOTP codes as an authenticator app computes them. The server accepts each time step once
 * (±1 step of drift), so this hands out strictly increasing steps per secret, waiting for the
 * clock when the next unused step is not yet acceptable.
 */
const lastStep = new Map<string, number>();
export async function totpCode(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 30_000);
  let step = Math.max(now - 1, (lastStep.get(secret) ?? -Infinity) + 1);
  if (step > now + 1) {
    await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 200));
    step = Math.max(step, Math.floor(Date.now() / 30_000) - 1);
  }
  lastStep.set(secret, step);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: step * 30_000 + 1_000 });
}

/** Signs in through the dashboard's form: email, password, then the TOTP step when asked. */
export async function signIn(page: Page, base: string, email: string, password: string, secret?: string, shell = true): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (secret) {
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await code.fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  if (shell) await page.getByRole('navigation', { name: 'Main' }).waitFor();
}
