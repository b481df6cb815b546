import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnnotatedRun, writeAnnotatedRun } from './annotated-genome';
import { browserStackForFile, SCREENSHOT_DIR } from './harness';
import { consoleErrors, fillFastqRun, seriousViolations, signIn, untilLive } from './page-checks';

const session = browserStackForFile();
let genome: AnnotatedRun;

beforeAll(async () => {
  genome = await writeAnnotatedRun(session.stack.api.inputDir);
}, 180_000);

/** The track, found as API.md says. */
const trackOf = (page: Page) => page.getByRole('application', { name: /genome track/i });

/** The window the track shows, as its data attributes say. */
async function shownWindow(track: Locator): Promise<{ from: number; to: number }> {
  return { from: Number(await track.getAttribute('data-from')), to: Number(await track.getAttribute('data-to')) };
}

/** The mean depth the coverage layer draws over the window. */
async function meanDepth(page: Page): Promise<number> {
  return Number((await page.getByTestId('track-coverage').first().getAttribute('data-mean-depth')) ?? 'NaN');
}

/** Saves a screenshot of the track's panel (the README's, in docs/screenshots/, come from these). */
async function screenshot(page: Page, name: string) {
  await page
    .getByTestId('genome-track')
    .first()
    .screenshot({ path: join(SCREENSHOT_DIR, name) });
}

describe('the genome track', () => {
  it('should follow a live simulated run, zoom to a call and show its bases, and take the keys', async () => {
    const context = await session.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await signIn(context, session.stack.webUrl, session.stack.operatorKey);
    const errors = consoleErrors(page);
    await untilLive(page);
    await page.getByLabel('Reference length', { exact: true }).fill('20000');
    await page.getByLabel('Reads per second', { exact: true }).fill('400');
    await page.getByLabel('Mutation rate', { exact: true }).fill('0.002');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    // The live overview's track: coverage grows as reads arrive.
    const track = trackOf(page);
    await track.waitFor({ timeout: 20_000 });
    expect(await shownWindow(track)).toEqual({ from: 1, to: 20_000 });
    await expect.poll(() => meanDepth(page), { timeout: 20_000 }).toBeGreaterThan(0);
    const early = await meanDepth(page);
    await expect.poll(() => meanDepth(page), { timeout: 20_000 }).toBeGreaterThan(early * 1.5);

    // Calls appear as lollipops; one's details show on focus, and Enter zooms to its bases.
    const lollipops = track.getByRole('button', { name: / to .+ at [\d,]+, allele frequency/ });
    await expect.poll(() => lollipops.count(), { timeout: 30_000 }).toBeGreaterThan(3);
    const lollipop = lollipops.first();
    const name = (await lollipop.getAttribute('aria-label')) ?? '';
    const [, ref, alt, at] = /^(\S+) to (\S+) at ([\d,]+)/.exec(name) ?? [];
    const position = Number(at?.replaceAll(',', ''));
    await lollipop.focus();
    const tooltip = page.getByRole('tooltip');
    await expect.poll(() => tooltip.textContent()).toContain('Allele frequency');
    expect(await tooltip.textContent()).toContain('Depth');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await shownWindow(track)).to - (await shownWindow(track)).from + 1).toBe(61);
    const shown = await shownWindow(track);
    expect(shown.from).toBeLessThanOrEqual(position);
    expect(shown.to).toBeGreaterThanOrEqual(position);
    const referenceBase = page.getByTestId('reference-bases').locator(`[data-position="${position}"] text`);
    await expect.poll(() => referenceBase.textContent(), { timeout: 10_000 }).toBe(ref?.[0]);
    expect((await page.getByTestId('reference-bases').locator('text').allTextContents()).join('')).toMatch(
      /^[ACGTN]{61}$/,
    );
    const altBase = page.getByTestId('alternate-bases').locator(`[data-position="${position}"] text`);
    expect(alt?.startsWith((await altBase.textContent())?.replace('…', '') ?? '?')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'genome-track-bases.png');

    // At the run's tick only the coverage and call layers change: the reference's cells stay as drawn.
    await page.evaluate(() => {
      const counts = { coverage: 0, bases: 0 };
      const watch = (testId: string, key: keyof typeof counts) =>
        new MutationObserver((records) => {
          counts[key] += records.length;
        }).observe(document.querySelector(`[data-testid="${testId}"]`) as Element, {
          subtree: true,
          childList: true,
          attributes: true,
          characterData: true,
        });
      watch('track-coverage', 'coverage');
      watch('reference-bases', 'bases');
      (window as unknown as { trackMutations: typeof counts }).trackMutations = counts;
    });
    const mutations = () =>
      page.evaluate(
        () => (window as unknown as { trackMutations: { coverage: number; bases: number } }).trackMutations,
      );
    await expect.poll(async () => (await mutations()).coverage, { timeout: 15_000 }).toBeGreaterThan(2);
    expect((await mutations()).bases).toBe(0);

    // The keys: - widens, Home shows the whole contig, + halves it, → moves on, Escape hides the details.
    await track.focus();
    await page.keyboard.press('-');
    await expect.poll(async () => (await shownWindow(track)).to - (await shownWindow(track)).from + 1).toBe(122);
    await page.keyboard.press('Home');
    await expect.poll(() => shownWindow(track)).toEqual({ from: 1, to: 20_000 });
    await page.keyboard.press('+');
    await expect.poll(() => shownWindow(track)).toEqual({ from: 5001, to: 15_000 });
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => shownWindow(track)).toEqual({ from: 7501, to: 17_500 });
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('button', { name: 'Whole contig' }).click();
    await expect.poll(() => shownWindow(track)).toEqual({ from: 1, to: 20_000 });
    await lollipops.first().focus();
    await expect.poll(() => tooltip.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => tooltip.count()).toBe(0);

    // The wheel zooms about the pointer; a drag pans.
    const box = (await track.boundingBox()) as { x: number; y: number; width: number; height: number };
    await page.mouse.move(box.x + box.width / 2, box.y + 150);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await shownWindow(track)).to).toBeLessThan(20_000);
    const beforeDrag = await shownWindow(track);
    await page.mouse.move(box.x + box.width / 2, box.y + 150);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 200, box.y + 150, { steps: 5 });
    await page.mouse.up();
    expect((await shownWindow(track)).from).toBeLessThan(beforeDrag.from);
    await page.keyboard.press('Home');
    await screenshot(page, 'genome-track-live.png');

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 30_000 }).toBe('Idle');
    expect(errors, 'no console errors').toEqual([]);
    await context.close();
  });

  it('should draw a FASTQ run over an annotated genome with its gene and the flagged call, in dark mode', async () => {
    const context = await session.browser.newContext({
      viewport: { width: 1400, height: 1000 },
      colorScheme: 'dark',
      acceptDownloads: true,
    });
    const page = await signIn(context, session.stack.webUrl, session.stack.operatorKey);
    const errors = consoleErrors(page);

    // The change the reads carry is listed as of concern, so the track marks it.
    await page.getByRole('link', { name: 'Mutations of concern' }).click();
    await page.getByLabel('Gene or contig').fill(genome.gene);
    await page.getByLabel('Change').fill(genome.aminoAcidChange);
    await page.getByLabel('Label').fill('test resistance');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByTestId('concerns-table').textContent()).toContain(genome.aminoAcidChange);

    await page.getByRole('link', { name: 'Overview' }).click();
    await untilLive(page);
    const state = page.getByTestId('pipeline-state');
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).not.toBe('Unknown');
    if ((await state.textContent()) !== 'Idle') {
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect.poll(() => state.textContent(), { timeout: 30_000 }).toBe('Idle');
    }
    await fillFastqRun(page, genome.referencePath, genome.readsPath);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const label = `${genome.gene}:${genome.aminoAcidChange} missense`;
    await expect.poll(() => page.getByTestId('alarms').textContent(), { timeout: 60_000 }).toContain(label);
    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 60_000 }).toBe('Idle');

    // The run page's track, from the stored coverage: the gene as an arrow, the call coloured and flagged.
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('table').getByRole('link').first().click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const track = trackOf(page);
    await track.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('track-genes').textContent(), { timeout: 15_000 }).toContain(genome.gene);
    expect(await page.locator('.gene-forward polygon').count()).toBe(1);
    await expect.poll(() => meanDepth(page), { timeout: 15_000 }).toBeGreaterThan(50);
    const call = track.getByRole('button', { name: new RegExp(`${label}.*mutation of concern`) });
    await expect.poll(() => call.count(), { timeout: 15_000 }).toBe(1);
    expect(await call.getAttribute('class')).toContain('lollipop-missense');
    expect(await call.getAttribute('class')).toContain('lollipop-concern');
    await call.hover();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain('test resistance');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'genome-track-annotated-dark.png');
    await call.click();
    await expect.poll(() => page.getByTestId('alternate-bases').textContent(), { timeout: 10_000 }).toBe('G');
    await screenshot(page, 'genome-track-annotated-bases-dark.png');

    // The sample's files come through the dashboard with the key added on the server.
    const download = async (name: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('genome-track').getByRole('link', { name, exact: true }).click(),
      ]);
      return readFile((await file.path()) as string, 'utf8');
    };
    const fasta = await download('Consensus FASTA');
    expect(fasta.startsWith('>')).toBe(true);
    expect(fasta).toContain('helix_e2e');
    const bedGraph = await download('Coverage bedGraph');
    expect(bedGraph.startsWith('track type=bedGraph')).toBe(true);
    expect(bedGraph.split('\n')[1]?.split('\t')[0]).toBe('helix_e2e');
    const vcf = await download('VCF');
    expect(vcf.startsWith('##fileformat=VCFv4')).toBe(true);
    expect(errors, 'no console errors').toEqual([]);
    await context.close();
  });
});
