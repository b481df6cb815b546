import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DirectoryServer, DirectoryServers } from '../support/directory-servers.js';
import { waitFor } from '../support/wait-for.js';
import { randomSequence } from '../support/wgsim.js';

const RUN = `query ($run: ID!) { run(id: $run) { warnings { code file } }
  variants(filter: { runId: $run, status: CONFIRMED }) { edges { node { sample position fileArrivedAt } } } }`;

const reference = randomSequence(6_000, 11);
/** Every read over this reference position carries an A→C (or other→A) change, so each sample has a call. */
const MUTATED = 3_000;
const ALT = reference[MUTATED] === 'A' ? 'C' : 'A';

/** FASTQ text of `reads` 100-base reads of the mutated reference, named after `name`. */
function readsText(reads: number, name: string): string {
  let text = '';
  for (let index = 0; index < reads; index += 1) {
    const start = (index * 37) % (reference.length - 100);
    let bases = reference.slice(start, start + 100);
    if (start <= MUTATED && MUTATED < start + 100) {
      bases = bases.slice(0, MUTATED - start) + ALT + bases.slice(MUTATED - start + 1);
    }
    text += `@${name}_${index}\n${bases}\n+\n${'I'.repeat(100)}\n`;
  }
  return text;
}

/** The same records in reverse order: the same size and reads, other first and last blocks. */
function reversedRecords(text: string): string {
  const lines = text.trimEnd().split('\n');
  const records: string[] = [];
  for (let line = 0; line < lines.length; line += 4) records.push(lines.slice(line, line + 4).join('\n'));
  return `${records.reverse().join('\n')}\n`;
}

/** Writes a file a minute old, so the watcher takes it at first sight. */
async function writeSettled(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
}

describe('a DIRECTORY run with faulty files across a SIGKILL of the API', () => {
  let servers: DirectoryServers;
  const run = 'run-faults-killed';
  const pass = () => join(servers.inputDir, run, 'fastq_pass');

  /** The file ledger of a run: each file with its state, reads and reason. */
  async function ledger(runId: string): Promise<{ file: string; state: string; reads: number; reason: string }[]> {
    const { rows } = await servers.pool.query(
      `SELECT file, state, reads::int AS reads, reason_code AS reason FROM run_files WHERE run_id = $1 ORDER BY file`,
      [runId],
    );
    return rows;
  }

  /** What a run stored: its reads, its samples' figures and its calls, as comparable values. */
  async function results(runId: string): Promise<{ reads: number; samples: unknown[]; calls: string[] }> {
    const { rows } = await servers.pool.query('SELECT reads_analysed::int AS reads FROM runs WHERE id = $1', [runId]);
    return {
      reads: rows[0]?.reads,
      samples: await servers.storedSamples(runId),
      calls: await servers.storedCalls(runId),
    };
  }

  /** A run's warnings and confirmed calls, as the API serves them. */
  const stored = (server: DirectoryServer, runId: string) =>
    servers.query<{
      run: { warnings: { code: string; file: string | null }[] };
      variants: { edges: { node: { sample: string; position: number; fileArrivedAt: string | null } }[] };
    }>(server, RUN, { run: runId });

  beforeAll(async () => {
    servers = await DirectoryServers.create('resume-faults', 300);
    const whole = gzipSync(readsText(3_000, 'cut'));
    await writeSettled(join(servers.inputDir, run, 'reference.fa'), `>chr\n${reference}\n`);
    // Taken first: a resumed run must not count the folder as a sample of its own.
    await writeSettled(join(pass(), 'unclassified', 'run_0.fastq.gz'), gzipSync(readsText(100, 'nobody')));
    await writeSettled(join(pass(), 'barcode01', 'run_0.fastq.gz'), gzipSync(readsText(600, 'good')));
    await writeSettled(join(pass(), 'barcode01', 'run_1.fastq.gz'), whole.subarray(0, whole.length / 2));
    await writeSettled(join(pass(), 'barcode02', 'run_0.fastq'), readsText(400, 'rewritten'));
    await writeSettled(join(pass(), 'barcode02', 'run_1.fastq'), readsText(300, 'touched'));
    await writeSettled(join(pass(), 'barcode02', 'run_2.fastq'), '');
    await writeSettled(join(pass(), 'barcode03', 'run_0.fastq'), 'this is a run report, not reads\n');
  });

  afterAll(async () => {
    await servers?.close();
  });

  let resumedRun: string;
  let second: DirectoryServer;

  it('should count a file cut short once, at its end, and never read it again after a restart', async () => {
    const first = await servers.serve();
    resumedRun = await servers.startRun(first, run);
    await waitFor(
      async () => {
        const files = await ledger(resumedRun);
        return files.length === 7 && files.every(({ state }) => state !== 'TAKEN');
      },
      30_000,
      'every file of the first part to end',
    );
    first.helix.child.kill('SIGKILL');
    await first.helix.exited;
    const beforeRestart = await ledger(resumedRun);
    const rewritten = join(pass(), 'barcode02', 'run_0.fastq');
    await writeFile(rewritten, reversedRecords(await readFile(rewritten, 'utf8')));
    await utimes(join(pass(), 'barcode02', 'run_1.fastq'), new Date(), new Date());
    await writeSettled(join(pass(), 'barcode03', 'run_1.fastq.gz'), gzipSync(readsText(500, 'late')));
    await writeFile(join(servers.inputDir, run, `final_summary_${run}.txt`), 'instrument=test\n');
    second = await servers.serve();
    await servers.completed(resumedRun);
    const kept = beforeRestart.find(({ file }) => file.endsWith('barcode01/run_1.fastq.gz'))?.reads ?? 0;

    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3_000);
    expect(await ledger(resumedRun)).toEqual([
      { file: 'fastq_pass/barcode01/run_0.fastq.gz', state: 'DONE', reads: 600, reason: null },
      { file: 'fastq_pass/barcode01/run_1.fastq.gz', state: 'FAILED', reads: kept, reason: 'TRUNCATED_FILE' },
      { file: 'fastq_pass/barcode02/run_0.fastq', state: 'DONE', reads: 400, reason: null },
      { file: 'fastq_pass/barcode02/run_1.fastq', state: 'DONE', reads: 300, reason: null },
      { file: 'fastq_pass/barcode02/run_2.fastq', state: 'SKIPPED', reads: 0, reason: 'EMPTY_FILE' },
      { file: 'fastq_pass/barcode03/run_0.fastq', state: 'FAILED', reads: 0, reason: 'NOT_FASTQ' },
      { file: 'fastq_pass/barcode03/run_1.fastq.gz', state: 'DONE', reads: 500, reason: null },
      { file: 'fastq_pass/unclassified/run_0.fastq.gz', state: 'SKIPPED', reads: 0, reason: 'UNCLASSIFIED_SKIPPED' },
    ]);
    expect((await results(resumedRun)).reads).toBe(600 + kept + 400 + 300 + 500);
  });

  it("should show each fault once on the run, and a rewritten file's change but not a touched one's", async () => {
    const { run: stats } = await stored(second, resumedRun);

    expect([...stats.warnings].sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: 'CHANGED_AFTER_TAKEN', file: 'fastq_pass/barcode02/run_0.fastq' },
      { code: 'EMPTY_FILE', file: 'fastq_pass/barcode02/run_2.fastq' },
      { code: 'NOT_FASTQ', file: 'fastq_pass/barcode03/run_0.fastq' },
      { code: 'TRUNCATED_FILE', file: 'fastq_pass/barcode01/run_1.fastq.gz' },
      { code: 'UNCLASSIFIED_SKIPPED', file: 'fastq_pass/unclassified/run_0.fastq.gz' },
    ]);
  });

  it('should store the same totals, figures and calls as the same folder analysed without a restart', async () => {
    const uninterrupted = await servers.startRun(second, run);
    await servers.completed(uninterrupted);
    const resumed = await results(resumedRun);
    const fresh = await results(uninterrupted);
    const ledgerOf = async (runId: string) =>
      (await ledger(runId)).map(({ file, state, reads }) => [file, state, reads]);

    expect(resumed.calls.length).toBeGreaterThanOrEqual(3);
    expect(resumed).toEqual(fresh);
    expect(await ledgerOf(resumedRun)).toEqual(await ledgerOf(uninterrupted));
  });

  it("should store each confirmed call with its file's arrival and serve it", async () => {
    const { variants } = await stored(second, resumedRun);
    const calls = variants.edges.map(({ node }) => node);
    const arrivals = calls.map(({ fileArrivedAt }) => fileArrivedAt);

    expect(calls.map(({ position }) => position)).toContain(MUTATED + 1);
    expect(arrivals.every((at) => at !== null && Date.parse(at) < Date.now() - 30_000)).toBe(true);
  });
});
