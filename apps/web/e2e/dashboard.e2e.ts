import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserStackForFile, SCREENSHOT_DIR } from './harness';
import { consoleErrors, seriousViolations, signIn as signInAt, untilLive } from './page-checks';

const session = browserStackForFile();
const signIn = (context: BrowserContext, key: string) => signInAt(context, session.stack.webUrl, key);

/** Reads a number shown in a card ("12,345" → 12345). */
async function cardNumber(page: Page, id: string): Promise<number> {
  const text = (await page.getByTestId(`value-${id}`).textContent()) ?? '';
  const match = /([\d.,]+)\s*([kKMB])?/.exec(text);
  if (!match?.[1]) return Number.NaN;
  const scale = { k: 1e3, K: 1e3, M: 1e6, B: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1].replaceAll(',', '')) * scale;
}

/** Waits until `read` returns a value `accept`s, polling. */
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; last value ${String(last)}`);
}

describe('dashboard against the real API', () => {
  it('should refuse a wrong key with a message at the field', async () => {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${session.stack.webUrl}/sign-in`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#api-key-error').textContent()).toContain('Enter your API key');
    await page.getByLabel('API key').fill('not-a-real-key-0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('#api-key-error').textContent(), { timeout: 10_000 })
      .toContain('not accepted');
    expect(page.url()).toContain('/sign-in');
    await context.close();
  });

  it('should let an operator start, spike, watch backpressure, stop, and browse the run', async () => {
    const context = await session.browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    const page = await signIn(context, session.stack.operatorKey);
    const errors = consoleErrors(page);
    await page.reload();
    await untilLive(page);
    const firstLoadJs = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('.js'))
        .reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).encodedBodySize, 0),
    );
    console.log(`overview first-load JS as the browser received it (gzip): ${(firstLoadJs / 1000).toFixed(1)} kB`);
    expect(await seriousViolations(page)).toEqual([]);

    // Start a small run whose queue a spike can push past high-water.
    await page.getByLabel('Reference length', { exact: true }).fill('50000');
    await page.getByLabel('Reads per second', { exact: true }).fill('20000');
    await page.getByLabel('Mutation rate', { exact: true }).fill('0.002');
    await page.getByLabel('High-water mark', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.locator('#run-highWater-error').textContent()).toContain('must be at least 1');
    await page.getByLabel('High-water mark', { exact: true }).fill('60');
    await page.getByLabel('Low-water mark', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 15_000 })
      .toMatch(/Running|Throttled/);

    // Rates rise and reads analysed grow.
    await until(
      () => cardNumber(page, 'ingestion-rate'),
      (rate) => rate > 1000,
      'ingestion rate to rise',
    );
    await until(
      () => cardNumber(page, 'processing-rate'),
      (rate) => rate > 1000,
      'processing rate to rise',
    );
    const analysed = await until(
      () => cardNumber(page, 'reads-analysed'),
      (reads) => reads > 0,
      'reads analysed',
    );
    await until(
      () => cardNumber(page, 'reads-analysed'),
      (reads) => reads > analysed,
      'reads analysed to grow',
    );

    // Lower the water marks, then spike: the throttle engages and the banner shows, then both go.
    await page.getByLabel('High-water', { exact: true }).fill('30');
    await page.getByLabel('Low-water', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Apply thresholds' }).click();
    await expect.poll(() => page.getByText('Water marks now 30 / 5.').count(), { timeout: 10_000 }).toBe(1);
    await page.getByLabel('Multiplier').fill('40');
    await page.getByLabel('Duration (s)').fill('4');
    await page.getByRole('button', { name: 'Spike', exact: true }).click();
    const banner = page.getByTestId('backpressure-banner');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview.png'), fullPage: true });
    await banner.waitFor({ state: 'hidden', timeout: 45_000 });

    await until(
      () => cardNumber(page, 'variants-confirmed'),
      (count) => count > 25,
      'variants to be confirmed',
      30_000,
    );
    expect(await page.getByTestId('alarms').locator('li').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 30_000 }).toBe('Idle');

    // The runs list, then the run.
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.waitForURL(/\/runs$/);
    const runLink = page.getByRole('table').getByRole('link').first();
    await runLink.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await runLink.click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('run-reads-analysed').textContent()).not.toBe('0');
    const variantsPage = page.getByTestId('variants-page');
    await expect.poll(() => variantsPage.textContent(), { timeout: 15_000 }).toMatch(/Page 1 of [2-9]/);
    const firstRowPage1 = await page.getByTestId('variants-table').locator('tbody tr').first().textContent();
    await page.getByRole('navigation', { name: 'Variants pages' }).getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => variantsPage.textContent()).toMatch(/^Page 2/);
    await expect
      .poll(() => page.getByTestId('variants-table').locator('tbody tr').first().textContent())
      .not.toBe(firstRowPage1);
    await page.getByRole('navigation', { name: 'Variants pages' }).getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => variantsPage.textContent()).toMatch(/^Page 1/);

    // Sorting and a variant's details.
    await page.getByLabel('Sort by', { exact: true }).selectOption('QUALITY');
    await expect
      .poll(() => page.getByRole('columnheader', { name: /Quality/ }).getAttribute('aria-sort'))
      .toBe('descending');
    await page
      .getByTestId('variants-table')
      .getByRole('button', { name: /^Details of/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByText('Allele frequency').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run.png'), fullPage: true });

    // The VCF comes through the dashboard with the key added on the server.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download VCF' }).click(),
    ]);
    const vcf = await readFile((await download.path()) as string, 'utf8');
    expect(vcf.startsWith('##fileformat=VCFv4.3')).toBe(true);
    expect(vcf.split('\n').filter((line) => line && !line.startsWith('#')).length).toBeGreaterThan(25);
    expect(errors, 'no console errors (hydration mismatches included)').toEqual([]);
    await context.close();
  });

  it('should show a viewer every control disabled, with the reason (in dark mode)', async () => {
    const context = await session.browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, session.stack.viewerKey);
    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 15_000 }).not.toBe('Unknown');
    for (const name of ['Start', 'Stop', 'Spike', 'Apply thresholds']) {
      expect(await page.getByRole('button', { name, exact: true }).isDisabled(), name).toBe(true);
    }
    const controls = page.getByRole('region', { name: 'Controls' });
    const enabled = await controls.locator('input:enabled, select:enabled, button:enabled, textarea:enabled').count();
    expect(enabled).toBe(0);
    expect(await controls.getByText('Signed in with a viewer key').first().isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview-viewer-dark.png'), fullPage: true });
    await context.close();
  });

  it('should say when the API is down, reconnect, and return to sign-in when the key is rejected', async () => {
    const context = await session.browser.newContext();
    const page = await signIn(context, session.stack.operatorKey);
    const connection = page.getByTestId('connection');
    await expect.poll(() => connection.getAttribute('data-status'), { timeout: 15_000 }).toBe('live');
    await session.stack.api.stop();
    await expect.poll(() => connection.getAttribute('data-status'), { timeout: 15_000 }).toBe('api-down');
    expect(await connection.textContent()).toContain('API unreachable');
    await session.stack.api.restart();
    await expect.poll(() => connection.getAttribute('data-status'), { timeout: 20_000 }).toBe('live');

    // A key the API no longer accepts: back to sign-in, saying why.
    const cookie = (await context.cookies()).find((entry) => entry.name === 'helix_session');
    expect(cookie?.httpOnly).toBe(true);
    const revoked = Buffer.from(JSON.stringify({ k: 'revoked-key-0000000000', r: 'operator' })).toString('base64url');
    await context.addCookies([{ ...(cookie as NonNullable<typeof cookie>), value: revoked }]);
    await page.goto(`${session.stack.webUrl}/runs`);
    await page.waitForURL(/\/sign-in\?reason=expired/, { timeout: 15_000 });
    expect(await page.getByRole('status').textContent()).toContain('no longer accepts');
    await context.close();
  });
});
