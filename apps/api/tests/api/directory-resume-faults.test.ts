import { chmod, mkdir, mkdtemp, readFile, realpath, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/db/embedded.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { type HelixProcess, runHelix } from '../support/process.js';
import { postGraphQL } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';
import { randomSequence } from '../support/wgsim.js';

const OPERATOR_KEY = 'operator-key-for-resume-fault-tests';

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 64, workers: 1 }) { __typename ... on Run { id } } }`;

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
  let database: ScratchDatabase;
  let pool: pg.Pool;
  let inputDir: string;
  let dataDir: string;
  const servers: HelixProcess[] = [];
  const run = 'run-faults-killed';
  const pass = () => join(inputDir, run, 'fastq_pass');

  /** `helix serve` on a free port over the scratch database and input directory. */
  async function serve(): Promise<{ helix: HelixProcess; url: string }> {
    const port = await findFreePort();
    const helix = runHelix(['serve', '--port', String(port)], {
      DATABASE_URL: database.url,
      HELIX_DATA_DIR: dataDir,
      HELIX_INPUT_DIR: inputDir,
      HELIX_API_KEYS: `operator:${OPERATOR_KEY}`,
      HELIX_WATCH_SETTLE_MS: '300',
    });
    servers.push(helix);
    await helix.waitFor('database ready', 60_000);
    return { helix, url: `http://127.0.0.1:${port}/graphql` };
  }

  /** The file ledger of a run: each file with its state, reads and reason. */
  async function ledger(runId: string): Promise<{ file: string; state: string; reads: number; reason: string }[]> {
    const { rows } = await pool.query(
      `SELECT file, state, reads::int AS reads, reason_code AS reason FROM run_files WHERE run_id = $1 ORDER BY file`,
      [runId],
    );
    return rows;
  }

  /** What a run stored: its reads, its samples' figures and its calls, as comparable values. */
  async function results(runId: string): Promise<{ reads: number; samples: unknown[]; calls: string[] }> {
    const { rows: runs } = await pool.query('SELECT reads_analysed::int AS reads FROM runs WHERE id = $1', [runId]);
    const { rows: samples } = await pool.query(
      `SELECT name, reads_analysed::int AS reads, mapped_reads::int AS mapped, mean_depth AS depth, breadth_1x AS breadth
       FROM run_samples WHERE run_id = $1 ORDER BY name`,
      [runId],
    );
    const { rows: calls } = await pool.query<{ call: string }>(
      `SELECT concat_ws(' ', sample, contig, position, ref, alt, status, depth, alt_count, allele_frequency) AS call
       FROM variants WHERE run_id = $1 ORDER BY sample, contig, position, ref, alt`,
      [runId],
    );
    return { reads: runs[0]?.reads, samples, calls: calls.map((row) => row.call) };
  }

  async function completed(runId: string): Promise<void> {
    await waitFor(
      async () => (await pool.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status === 'COMPLETED',
      60_000,
      `run ${runId} to complete`,
    );
  }

  async function startRun(url: string): Promise<string> {
    const { body } = await postGraphQL(url, START, {
      key: OPERATOR_KEY,
      variables: { directory: run, reference: `${run}/reference.fa` },
    });
    expect(body.errors).toBeUndefined();
    return (body.data as { startPipeline: { id: string } }).startPipeline.id;
  }

  async function stored(url: string, runId: string) {
    const { body } = await postGraphQL(url, RUN, { key: OPERATOR_KEY, variables: { run: runId } });
    expect(body.errors).toBeUndefined();
    return body.data as {
      run: { warnings: { code: string; file: string | null }[] };
      variants: { edges: { node: { sample: string; position: number; fileArrivedAt: string | null } }[] };
    };
  }

  beforeAll(async () => {
    database = await createScratchDatabase();
    pool = new pg.Pool(poolConfigFromUrl(database.url));
    inputDir = await realpath(await mkdtemp(join(tmpdir(), 'helix-resume-faults-')));
    dataDir = await mkdtemp(join(tmpdir(), 'helix-resume-faults-data-'));
    await chmod(dataDir, 0o755);
    const whole = gzipSync(readsText(3_000, 'cut'));
    await writeSettled(join(inputDir, run, 'reference.fa'), `>chr\n${reference}\n`);
    await writeSettled(join(pass(), 'barcode01', 'run_0.fastq.gz'), gzipSync(readsText(600, 'good')));
    await writeSettled(join(pass(), 'barcode01', 'run_1.fastq.gz'), whole.subarray(0, whole.length / 2));
    await writeSettled(join(pass(), 'barcode02', 'run_0.fastq'), readsText(400, 'rewritten'));
    await writeSettled(join(pass(), 'barcode02', 'run_1.fastq'), readsText(300, 'touched'));
    await writeSettled(join(pass(), 'barcode02', 'run_2.fastq'), '');
    await writeSettled(join(pass(), 'barcode03', 'run_0.fastq'), 'this is a run report, not reads\n');
    await writeSettled(join(pass(), 'unclassified', 'run_0.fastq.gz'), gzipSync(readsText(100, 'nobody')));
  });

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await pool?.end();
    await database?.drop();
    await rm(inputDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  let resumedRun: string;
  let second: { helix: HelixProcess; url: string };

  it('should count a file cut short once, at its end, and never read it again after a restart', async () => {
    const first = await serve();
    resumedRun = await startRun(first.url);
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
    await writeFile(join(inputDir, run, `final_summary_${run}.txt`), 'instrument=test\n');
    second = await serve();
    await completed(resumedRun);
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
    const { run: stats } = await stored(second.url, resumedRun);

    expect([...stats.warnings].sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: 'CHANGED_AFTER_TAKEN', file: 'fastq_pass/barcode02/run_0.fastq' },
      { code: 'EMPTY_FILE', file: 'fastq_pass/barcode02/run_2.fastq' },
      { code: 'NOT_FASTQ', file: 'fastq_pass/barcode03/run_0.fastq' },
      { code: 'TRUNCATED_FILE', file: 'fastq_pass/barcode01/run_1.fastq.gz' },
      { code: 'UNCLASSIFIED_SKIPPED', file: 'fastq_pass/unclassified/run_0.fastq.gz' },
    ]);
  });

  it('should store the same totals, figures and calls as the same folder analysed without a restart', async () => {
    const uninterrupted = await startRun(second.url);
    await completed(uninterrupted);
    const resumed = await results(resumedRun);
    const fresh = await results(uninterrupted);
    const ledgerOf = async (runId: string) => (await ledger(runId)).map(({ file, state, reads }) => [file, state, reads]);

    expect(resumed.calls.length).toBeGreaterThanOrEqual(3);
    expect(resumed).toEqual(fresh);
    expect(await ledgerOf(resumedRun)).toEqual(await ledgerOf(uninterrupted));
  });

  it("should store each confirmed call with its file's arrival and serve it", async () => {
    const { variants } = await stored(second.url, resumedRun);
    const calls = variants.edges.map(({ node }) => node);
    const arrivals = calls.map(({ fileArrivedAt }) => fileArrivedAt);

    expect(calls.map(({ position }) => position)).toContain(MUTATED + 1);
    expect(arrivals.every((at) => at !== null && Date.parse(at) < Date.now() - 30_000)).toBe(true);
  });
});
