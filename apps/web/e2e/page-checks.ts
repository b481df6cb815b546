import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

/** Console errors of a page, except failed requests (the tests cause 401s and outages on purpose). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Opens the dashboard in `context` and signs in with `key`. */
export async function signIn(context: BrowserContext, webUrl: string, key: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${webUrl}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${webUrl}/`);
  return page;
}

/** Waits until the page's connection indicator says the live stream is up. */
export async function untilLive(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('connection').getAttribute('data-status'), { timeout: 15_000 }).toBe('live');
}

/** Fills the new-run form for a FASTQ run: its source, and the reference and reads under "More settings". */
export async function fillFastqRun(page: Page, referencePath: string, readsPaths: string): Promise<void> {
  await page.getByLabel('Source').selectOption('FASTQ');
  await page.getByText('More settings').click();
  await page.getByLabel('Reference', { exact: true }).fill(referencePath);
  await page.getByLabel('FASTQ files').fill(readsPaths);
}

/** Runs axe-core and returns the serious and critical violations, described. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Next.js sets the <title> from the route's metadata after a client-side navigation; check the
  // page once it is there (axe still reports a page that never gets one, after this wait fails).
  await page.waitForFunction(() => document.title.length > 0, undefined, { timeout: 5_000 }).catch(() => undefined);
  await page.addScriptTag({ content: await readFile(AXE_SOURCE, 'utf8') });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.targets.join(', ')})`);
}
