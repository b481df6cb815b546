import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnnotatedRun, writeAnnotatedRun } from './annotated-genome';
import { browserStackForFile, SCREENSHOT_DIR } from './harness';
import { consoleErrors, fillFastqRun, seriousViolations, signIn, untilLive } from './page-checks';

const session = browserStackForFile();
let genome: AnnotatedRun;

beforeAll(async () => {
  genome = await writeAnnotatedRun(session.stack.api.inputDir);
});

describe('genes on the dashboard', () => {
  it('should let an operator list a mutation of concern, then name its gene in the alarm, the banner and the table', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await signIn(context, session.stack.webUrl, session.stack.operatorKey);
    const errors = consoleErrors(page);

    // The list: a bad entry is refused at its field, a good one is added.
    await page.getByRole('link', { name: 'Mutations of concern' }).click();
    await page.waitForURL(/\/concerns$/);
    await expect.poll(() => page.getByTestId('concerns-table').textContent()).toContain('The list is empty.');
    await page.getByLabel('Gene or contig').fill(genome.gene);
    await page.getByLabel('Change').fill('D100');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.locator('#concern-change-error').textContent()).toMatch(/D100/);
    await page.getByLabel('Change').fill(genome.aminoAcidChange);
    await page.getByLabel('Label').fill('test resistance');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('concerns-table').textContent())
      .toContain(`${genome.gene}${genome.aminoAcidChange}test resistance`);
    expect(await seriousViolations(page)).toEqual([]);

    // A FASTQ run over the GenBank reference: its genes come with it.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(`${session.stack.webUrl}/`);
    await untilLive(page);
    await fillFastqRun(page, genome.referencePath, genome.readsPath);
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    const label = `${genome.gene}:${genome.aminoAcidChange} missense`;
    await expect.poll(() => page.getByTestId('alarms').textContent(), { timeout: 60_000 }).toContain(label);
    const alarm = page.getByTestId('alarms').locator('li', { hasText: label });
    expect(await alarm.textContent()).toContain('Mutation of concern test resistance');
    const banner = page.getByTestId('concern-banner');
    await expect
      .poll(() => banner.textContent())
      .toContain(`${genome.gene} ${genome.aminoAcidChange} (test resistance)`);
    expect(await page.getByRole('alert').filter({ hasText: 'Mutation of concern detected' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'concern-alarm.png'), fullPage: true });

    // The run's table shows the effect, filters by gene, and the detail lists the codons.
    await banner.getByRole('link', { name: 'View run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]+$/);
    const table = page.getByTestId('variants-table');
    await expect.poll(() => table.textContent(), { timeout: 30_000 }).toContain(label);
    await page.getByLabel('Genes').fill('noSuchGene');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => table.textContent()).toContain('No variant calls match these filters.');
    await page.getByLabel('Genes').fill(genome.gene);
    await page.getByLabel('Consequence').selectOption('MISSENSE');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await table.getByRole('button', { name: /Details of A to G/ }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('gAt/gGt');
    expect(await dialog.textContent()).toContain('p.Asp100Gly');
    expect(await dialog.textContent()).toContain('test helicase');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('should show a viewer the list without the means to change it', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme: 'dark' });
    const page = await signIn(context, session.stack.webUrl, session.stack.viewerKey);
    await page.goto(`${session.stack.webUrl}/concerns`);
    await expect.poll(() => page.getByTestId('concerns-table').textContent()).toContain(genome.aminoAcidChange);
    expect(await page.getByRole('button', { name: 'Add', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^Remove / }).isDisabled()).toBe(true);
    expect(await page.getByText('Only an operator key may change the list.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'concerns-dark.png'), fullPage: true });
    await context.close();
  });
});
