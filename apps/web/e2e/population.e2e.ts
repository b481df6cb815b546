import { copyFile, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestMixture, type TestMixture } from '../../api/tests/support/mixture.js';
import { browserStackForFile, SCREENSHOT_DIR } from './harness';
import { consoleErrors, fillFastqRun, seriousViolations, signIn, untilLive } from './page-checks';

const session = browserStackForFile();
let mixture: TestMixture;
/** The mixture's reference and reads, copied into the API's input directory. */
let inputs: { referencePath: string; readsPaths: string };

beforeAll(async () => {
  mixture = await buildTestMixture();
  const folder = join(session.stack.api.inputDir, 'mixture');
  await mkdir(folder);
  const copied = await Promise.all(
    [mixture.referencePath, ...mixture.reads].map(async (path) => {
      await copyFile(path, join(folder, basename(path)));
      return `mixture/${basename(path)}`;
    }),
  );
  inputs = { referencePath: copied[0] as string, readsPaths: copied.slice(1).join(',') };
}, 180_000);

afterAll(async () => {
  if (mixture) await rm(mixture.directory, { recursive: true, force: true });
});

describe('a population run on the dashboard', () => {
  it('should show a 5 % variant of a mixture with its filters, reads per strand and frequency over the run', async () => {
    // The first 5 % SNV planted: its haplotype is 5 % of the reads.
    const minority = mixture.truth.find((variant) => variant.frequency === 0.05 && variant.class === 'SNV');
    if (!minority) throw new Error('the test mixture planted no 5 % SNV');

    const context = await session.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await signIn(context, session.stack.webUrl, session.stack.operatorKey);
    const errors = consoleErrors(page);
    await untilLive(page);

    // The mode brings its minimum allele frequency with it.
    const minimum = page.getByLabel('Minimum allele frequency');
    expect(await minimum.inputValue()).toBe('0.15');
    await page.getByLabel('Calling mode').selectOption('POPULATION');
    expect(await minimum.inputValue()).toBe('0.02');
    await fillFastqRun(page, inputs.referencePath, inputs.readsPaths);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'started' }).getByRole('link').click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 10_000 })
      .toContain('Population (allele frequencies)');
    // Every read analysed: the table then lists the calls as they end (it is not live).
    await expect
      .poll(() => page.locator('main').textContent(), { timeout: 180_000, interval: 2_000 })
      .toContain('Completed');
    await page.reload();

    // The run's table lists the call at its frequency with PASS; only its site is asked for.
    const table = page.getByTestId('variants-table');
    await page.getByLabel('From position').fill(String(minority.position));
    await page.getByLabel('To position').fill(String(minority.position));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const details = table.getByRole('button', {
      name: `Details of ${minority.ref} to ${minority.alt} at ${minority.position}`,
    });
    await expect.poll(() => details.count(), { timeout: 15_000 }).toBe(1);
    expect(await table.getByRole('columnheader', { name: 'Filters' }).count()).toBe(1);
    const row = details.locator('xpath=ancestor::tr');
    const frequency = Number((await row.locator('td').nth(7).textContent())?.replace(' %', ''));
    expect(frequency).toBeGreaterThan(2.5);
    expect(frequency).toBeLessThan(8);
    expect(await row.textContent()).toContain('PASS');
    expect(await seriousViolations(page)).toEqual([]);

    // Its detail: reads per strand on each allele, strand bias, filters and the frequency chart.
    await details.click();
    const dialog = page.getByRole('dialog');
    const strands = dialog.getByRole('table', { name: 'Reads of each allele per strand' });
    await expect.poll(() => strands.count(), { timeout: 10_000 }).toBe(1);
    const alternate = strands.getByRole('row', { name: new RegExp(`^Alternate \\(${minority.alt}\\)`) });
    const [forward, reverse] = (await alternate.getByRole('cell').allTextContents()).map((text) =>
      Number(text.replace(/,/g, '')),
    );
    expect(forward).toBeGreaterThan(0);
    expect(reverse).toBeGreaterThan(0);
    expect(await dialog.textContent()).toContain('Strand bias (Phred)');
    expect(await dialog.textContent()).toContain('none (a population call)');
    const chart = dialog.getByRole('img', { name: /^Allele frequency over the run, \d+ points?: / });
    await expect.poll(() => chart.count()).toBe(1);
    await dialog.getByText('Frequency history as a table').click();
    const history = dialog.getByRole('table', { name: 'Allele frequency of this call as its run went on' });
    expect(await history.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'population-variant.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
