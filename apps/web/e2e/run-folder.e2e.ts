import { existsSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ManagedProcess, start } from '../tests/support/processes';
import { browserStackForFile, REPO_DIR, SCREENSHOT_DIR } from './harness';
import { consoleErrors, seriousViolations, signIn, untilLive } from './page-checks';

const SAMPLES = ['barcode01', 'barcode02', 'barcode03'];

const session = browserStackForFile();
let sequencer: ManagedProcess | undefined;

afterAll(async () => {
  await sequencer?.stop();
});

/** Starts `helix simulate --run-dir`: a MinKNOW folder of three barcodes, a file each per interval, its end marker last. */
function startSequencer(
  runDir: string,
  { reads = 40_000, chunkReads = 2000, chunkIntervalMs = 300 } = {},
): ManagedProcess {
  return start(
    'simulate',
    process.execPath,
    [
      join(REPO_DIR, 'apps', 'api', 'bin', 'helix.js'),
      'simulate',
      '--run-dir',
      runDir,
      '--samples',
      String(SAMPLES.length),
      '--reads',
      String(reads),
      '--chunk-reads',
      String(chunkReads),
      '--chunk-interval-ms',
      String(chunkIntervalMs),
    ],
    { cwd: REPO_DIR, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
}

/** True once the sequencer has written the reference and a first file of reads. */
async function firstReadsWritten(runDir: string): Promise<boolean> {
  const barcode = join(runDir, 'fastq_pass', 'barcode01');
  if (!existsSync(join(runDir, 'reference.fa')) || !existsSync(barcode)) return false;
  return (await readdir(barcode)).some((name) => name.endsWith('.fastq.gz'));
}

/** An operator's overview, signed in and live, with the page's console errors kept. */
async function liveOverview() {
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await signIn(context, session.stack.webUrl, session.stack.operatorKey);
  const errors = consoleErrors(page);
  await untilLive(page);
  return { context, page, errors };
}

describe('a live run folder on the dashboard', () => {
  it('should follow a sequencer writing three barcodes, name each alarm’s sample, and list the calls by sample', async () => {
    const { context, page, errors } = await liveOverview();

    // The form refuses a folder outside the input directory, and places the API's refusal at the field.
    await page.getByLabel('Source').selectOption('DIRECTORY');
    await page.getByText('More settings').click();
    await page.getByLabel('Reference', { exact: true }).fill('run1/reference.fa');
    const folder = page.getByLabel('Run folder', { exact: true });
    await folder.fill('../run1');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.locator('#run-directory-error').textContent()).toContain('".." segments');
    expect(await folder.getAttribute('aria-invalid')).toBe('true');
    await folder.fill('run1');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => page.locator('#run-referencePath-error').textContent())
      .toMatch(/no such file.*run1\/reference\.fa/);

    // The sequencer starts writing; the run follows its folder while it grows.
    const runDir = join(session.stack.api.inputDir, 'run1');
    sequencer = startSequencer(runDir);
    await expect.poll(() => firstReadsWritten(runDir), { timeout: 30_000, interval: 100 }).toBe(true);
    // Reads MinKNOW could not give a barcode: the run leaves them out, with a warning on its page.
    const unclassified = join(runDir, 'fastq_pass', 'unclassified', 'run_0.fastq');
    await mkdir(join(runDir, 'fastq_pass', 'unclassified'), { recursive: true });
    await writeFile(unclassified, '@nobody\nACGT\n+\nIIII\n');
    await utimes(unclassified, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await folder.fill('no-such-run');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => page.locator('#run-directory-error').textContent()).toMatch(/no such folder.*no-such-run/);
    await folder.fill('run1');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const started = page.getByRole('status').filter({ hasText: 'started' });
    await started.waitFor({ timeout: 15_000 });
    expect(sequencer.exited, 'the run starts while the folder is still being written').toBe(false);

    const alarms = page.getByTestId('alarms');
    await expect.poll(() => alarms.textContent(), { timeout: 60_000 }).toMatch(/barcode0[1-3]/);
    expect(await alarms.locator('li').first().textContent()).toMatch(/alarm \d+(\.\d)? s after its file arrived/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-folder-overview.png'), fullPage: true });

    // The run completes at the end marker, by itself.
    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 90_000 }).toBe('Idle');
    const writer = sequencer;
    await expect.poll(() => writer.exited, { timeout: 10_000 }).toBe(true);
    expect(sequencer.child.exitCode, sequencer.output()).toBe(0);
    // Every alarm the feed keeps (the newest 50) names one of the run's samples.
    const sampleTags = await alarms.locator('.tag-sample').allTextContents();
    expect(sampleTags.length).toBe(await alarms.locator('li').count());
    expect(sampleTags.filter((tag) => !SAMPLES.includes(tag))).toEqual([]);

    // The run page: the faults it went on from, a row per sample, and the variants of one sample at a time.
    await started.getByRole('link').click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('.page-title .state').textContent(), { timeout: 15_000 }).toBe('Completed');
    const warnings = page.getByTestId('run-warnings');
    expect(await warnings.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/Unclassified reads skipped.*fastq_pass\/unclassified\/run_0\.fastq.*belong to no sample/),
    ]);
    const samples = page.getByTestId('samples-table');
    await expect.poll(() => samples.locator('tbody tr').count()).toBe(SAMPLES.length);
    // First-seen order: whichever barcode's file the watcher took first.
    const rows = await samples
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent ?? '')));
    expect(rows.map((cells) => cells[0]).sort()).toEqual(SAMPLES);
    for (const [name, reads, , , , calls] of rows) {
      expect(reads, `${name} has reads`).not.toBe('0');
      expect(calls, `${name} has calls`).not.toBe('0');
    }

    const table = page.getByTestId('variants-table');
    const sampleColumn = () => table.locator('tbody tr td:first-child').allTextContents();
    await expect.poll(async () => new Set(await sampleColumn()).size, { timeout: 15_000 }).toBeGreaterThan(1);
    const everySample = await page.getByTestId('variants-page').textContent();

    await page.getByLabel('Sample', { exact: true }).selectOption('barcode02');
    await expect.poll(async () => [...new Set(await sampleColumn())]).toEqual(['barcode02']);
    expect(await page.getByTestId('variants-page').textContent()).not.toBe(everySample);

    await samples.getByRole('button', { name: 'barcode03' }).click();
    await expect.poll(async () => [...new Set(await sampleColumn())]).toEqual(['barcode03']);
    expect(await page.getByLabel('Sample', { exact: true }).inputValue()).toBe('barcode03');
    expect(await samples.getByRole('button', { name: 'barcode03' }).getAttribute('aria-pressed')).toBe('true');

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-folder-samples.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('should show the backlog waiting on disk while a throttled run works through a written folder', async () => {
    const runDir = join(session.stack.api.inputDir, 'run2');
    const writer = startSequencer(runDir, { reads: 6000, chunkReads: 500, chunkIntervalMs: 0 });
    await expect.poll(() => writer.exited, { timeout: 60_000 }).toBe(true);
    expect(writer.child.exitCode, writer.output()).toBe(0);

    const { context, page, errors } = await liveOverview();
    await page.getByLabel('Source').selectOption('DIRECTORY');
    await page.getByLabel('Run folder', { exact: true }).fill('run2');
    await page.getByLabel('Batch size', { exact: true }).fill('128');
    await page.getByLabel('High-water mark', { exact: true }).fill('3');
    await page.getByLabel('Low-water mark', { exact: true }).fill('1');
    await page.getByText('More settings').click();
    await page.getByLabel('Reference', { exact: true }).fill('run2/reference.fa');
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    // 36 files of 500 reads against a queue of three batches: most wait on disk, not in memory.
    const backlog = page.getByTestId('backlog');
    await backlog.waitFor({ timeout: 30_000 });
    expect(await backlog.textContent()).toMatch(
      /^Backlog on disk: [\d,]+ files? \([\d.]+ [kM]?B\), read as the queue drains/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'run-folder-backlog.png'), fullPage: true });

    await expect.poll(() => page.getByTestId('pipeline-state').textContent(), { timeout: 90_000 }).toBe('Idle');
    expect(await backlog.count(), 'no backlog once the run has taken every file').toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
