import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapturedLog, capturedLog } from '../support/captured-log.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';
import { randomSequence } from '../support/wgsim.js';
import { settled } from '../watch/run-folders.js';

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 128, workers: 1 }) { __typename ... on Run { id } } }`;

const RUN = `query ($run: ID!) { run(id: $run) { status error readsAnalysed samples { name readsAnalysed }
  warnings { code file message at } } }`;

interface StoredRun {
  status: string;
  error: string | null;
  readsAnalysed: number;
  samples: { name: string; readsAnalysed: number }[];
  warnings: { code: string; file: string | null; message: string; at: string }[];
}

/** A named warning of a run, as the server logged it. */
interface FaultLine {
  runId: string;
  code: string;
  path?: string;
  reason?: string;
  readsKept?: number;
  msg: string;
}

const reference = randomSequence(6_000, 7);

/** FASTQ text of `reads` 100-base reads taken from the reference, so they map and do not compress away. */
function readsText(reads: number, name: string): string {
  let text = '';
  for (let index = 0; index < reads; index += 1) {
    const start = (index * 37) % (reference.length - 100);
    text += `@${name}_${index}\n${reference.slice(start, start + 100)}\n+\n${'I'.repeat(100)}\n`;
  }
  return text;
}

/** Writes a file a minute old, so the watcher takes it at first sight. */
async function writeSettled(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  await settled(path);
}

describe('bad input and faults in a live run folder', () => {
  let api: TestServer;
  let log: CapturedLog;

  const start = async (directory: string) => {
    await writeSettled(join(api.inputDir, 'reference.fa'), `>chr\n${reference}\n`);
    const started = await queryData<{ startPipeline: { __typename: string; id: string } }>(api.url, START, {
      key: testKeys.operator,
      variables: { directory, reference: 'reference.fa' },
    });
    expect(started.startPipeline.__typename).toBe('Run');
    return started.startPipeline.id;
  };
  const stored = async (runId: string) =>
    (await queryData<{ run: StoredRun }>(api.url, RUN, { variables: { run: runId } })).run;
  const faults = (runId: string) =>
    log
      .lines<FaultLine>(runId)
      .filter((line) => line.code !== undefined)
      .map(({ code, path, readsKept }) => ({ code, file: path?.split('/').slice(-2).join('/'), readsKept }));
  const ledger = async (runId: string) => {
    const { rows } = await api.database.pool.query<{
      file: string;
      state: string;
      reads: string;
      reason: string | null;
    }>(
      `SELECT regexp_replace(path, '^.*/([^/]+/[^/]+)$', '\\1') AS file, state, reads::text, reason_code AS reason
       FROM run_files WHERE run_id = $1 ORDER BY path`,
      [runId],
    );
    return rows;
  };

  beforeAll(async () => {
    log = capturedLog();
    api = await startTestServer({ logger: log.logger });
  });

  afterAll(async () => {
    await api?.close();
  });

  /** The run of the first test, whose warnings the second one reads. */
  let faultyRun: string;

  it('should name each bad file, count what was read before the fault and complete the run', async () => {
    const run = join(api.inputDir, 'run-faults');
    const pass = join(run, 'fastq_pass');
    const whole = gzipSync(readsText(3_000, 'cut'));
    await writeSettled(join(pass, 'barcode01', 'run_0.fastq.gz'), gzipSync(readsText(500, 'good')));
    await writeSettled(join(pass, 'barcode01', 'run_1.fastq.gz'), whole.subarray(0, whole.length / 2));
    await writeSettled(join(pass, 'barcode02', 'run_0.fastq'), 'this is a run report, not reads\n');
    await writeSettled(join(pass, 'barcode02', 'run_1.fastq'), '');
    await writeSettled(join(pass, 'barcode02', 'run_2.fastq.gz'), gzipSync(readsText(300, 'good')));
    await writeSettled(join(pass, 'unclassified', 'run_0.fastq.gz'), gzipSync(readsText(200, 'nobody')));
    await writeFile(join(run, 'final_summary_run.txt'), 'instrument=test\n');

    const runId = await start('run-faults');
    faultyRun = runId;
    const outcome = await api.pipeline.whenRunEnds();
    const figures = await stored(runId);
    const named = faults(runId);
    const truncated = named.find(({ code }) => code === 'TRUNCATED_FILE');

    expect(outcome.status).toBe('COMPLETED');
    expect(named).toEqual(
      expect.arrayContaining([
        { code: 'TRUNCATED_FILE', file: 'barcode01/run_1.fastq.gz', readsKept: expect.any(Number) },
        { code: 'NOT_FASTQ', file: 'barcode02/run_0.fastq', readsKept: 0 },
        { code: 'EMPTY_FILE', file: 'barcode02/run_1.fastq', readsKept: undefined },
        { code: 'UNCLASSIFIED_SKIPPED', file: 'unclassified/run_0.fastq.gz', readsKept: undefined },
      ]),
    );
    expect(truncated?.readsKept).toBeGreaterThan(0);
    expect(truncated?.readsKept).toBeLessThan(3_000);
    expect(log.lines<FaultLine>('NOT_FASTQ')[0]?.reason).toMatch(/run_0\.fastq: record 1 \(line 1\)/);
    expect(figures).toMatchObject({ status: 'COMPLETED', error: null });
    expect(figures.samples).toEqual([
      { name: 'barcode01', readsAnalysed: 500 + (truncated?.readsKept ?? 0) },
      { name: 'barcode02', readsAnalysed: 300 },
    ]);
    // A file read up to a fault ends FAILED with the reads before it, counted once: a restart does not read it again.
    expect(await ledger(runId)).toEqual([
      { file: 'barcode01/run_0.fastq.gz', state: 'DONE', reads: '500', reason: null },
      {
        file: 'barcode01/run_1.fastq.gz',
        state: 'FAILED',
        reads: String(truncated?.readsKept),
        reason: 'TRUNCATED_FILE',
      },
      { file: 'barcode02/run_0.fastq', state: 'FAILED', reads: '0', reason: 'NOT_FASTQ' },
      { file: 'barcode02/run_1.fastq', state: 'SKIPPED', reads: '0', reason: 'EMPTY_FILE' },
      { file: 'barcode02/run_2.fastq.gz', state: 'DONE', reads: '300', reason: null },
      { file: 'unclassified/run_0.fastq.gz', state: 'SKIPPED', reads: '0', reason: 'UNCLASSIFIED_SKIPPED' },
    ]);
    expect(figures.readsAnalysed).toBe(800 + (truncated?.readsKept ?? 0));
  });

  it("should show each bad file's warning on the run, relative to the run folder, newest first", async () => {
    const { warnings } = await stored(faultyRun);

    expect(warnings.map(({ code, file }) => ({ code, file }))).toEqual(
      expect.arrayContaining([
        { code: 'TRUNCATED_FILE', file: 'fastq_pass/barcode01/run_1.fastq.gz' },
        { code: 'NOT_FASTQ', file: 'fastq_pass/barcode02/run_0.fastq' },
        { code: 'EMPTY_FILE', file: 'fastq_pass/barcode02/run_1.fastq' },
        { code: 'UNCLASSIFIED_SKIPPED', file: 'fastq_pass/unclassified/run_0.fastq.gz' },
      ]),
    );
    expect(warnings).toHaveLength(4);
    expect(warnings.find(({ code }) => code === 'NOT_FASTQ')?.message).toMatch(/record 1 \(line 1\)/);
    const times = warnings.map(({ at }) => Date.parse(at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('should complete an empty run at its end marker, with a warning', async () => {
    await writeSettled(join(api.inputDir, 'run-empty', 'final_summary_run.txt'), 'instrument=test\n');

    const runId = await start('run-empty');
    const outcome = await api.pipeline.whenRunEnds();

    expect(outcome.status).toBe('COMPLETED');
    expect(await stored(runId)).toMatchObject({ status: 'COMPLETED', readsAnalysed: 0, samples: [] });
    expect(faults(runId)).toEqual([
      { code: 'EMPTY_RUN', file: expect.stringMatching(/run-empty$/), readsKept: undefined },
    ]);
    expect((await stored(runId)).warnings).toMatchObject([{ code: 'EMPTY_RUN', file: null }]);
  });

  it('should fail a run whose folder is deleted, naming why, and keep what it analysed', async () => {
    const run = join(api.inputDir, 'run-deleted');
    await writeSettled(join(run, 'fastq_pass', 'barcode01', 'run_0.fastq.gz'), gzipSync(readsText(400, 'early')));

    const runId = await start('run-deleted');
    await waitFor(async () => (await ledger(runId)).some(({ state }) => state === 'DONE'), 15_000, 'the first file');
    await rm(run, { recursive: true, force: true });
    const outcome = await api.pipeline.whenRunEnds();
    const figures = await stored(runId);

    expect(outcome.status).toBe('FAILED');
    expect(figures.error).toMatch(/run folder .*run-deleted was deleted/);
    expect(faults(runId)).toContainEqual({ code: 'RUN_FOLDER_GONE', file: expect.any(String), readsKept: undefined });
    expect(figures.warnings).toMatchObject([{ code: 'RUN_FOLDER_GONE', file: null }]);
    expect(figures).toMatchObject({
      status: 'FAILED',
      readsAnalysed: 400,
      samples: [{ name: 'barcode01', readsAnalysed: 400 }],
    });
    expect(await ledger(runId)).toEqual([
      { file: 'barcode01/run_0.fastq.gz', state: 'DONE', reads: '400', reason: null },
    ]);
  });

  it('should wait out a full disk under the file ledger, naming it, and lose no file', async () => {
    const run = join(api.inputDir, 'run-disk-full');
    await writeSettled(join(run, 'fastq_pass', 'barcode01', 'run_0.fastq.gz'), gzipSync(readsText(256, 'full')));
    await writeFile(join(run, 'final_summary_run.txt'), 'instrument=test\n');
    // What PostgreSQL says when its disk is full (SQLSTATE 53100), on every write to the ledger.
    await api.database.pool.query(`
      CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        RAISE EXCEPTION 'could not extend file "base/16384/24576": No space left on device' USING ERRCODE = '53100';
      END $$;
      CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON run_files FOR EACH ROW EXECUTE FUNCTION disk_full();`);

    const runId = await start('run-disk-full');
    await waitFor(() => faults(runId).some(({ code }) => code === 'LEDGER_WRITE_FAILED'), 15_000, 'a failed write');
    await api.database.pool.query('DROP TRIGGER disk_full ON run_files; DROP FUNCTION disk_full();');
    const outcome = await api.pipeline.whenRunEnds();

    expect(outcome.status).toBe('COMPLETED');
    expect(log.lines<FaultLine>('LEDGER_WRITE_FAILED').at(-1)?.reason).toMatch(/No space left on device/);
    expect((await stored(runId)).warnings).toMatchObject([
      { code: 'LEDGER_WRITE_FAILED', file: null, message: expect.stringMatching(/No space left on device/) },
    ]);
    expect(await stored(runId)).toMatchObject({ status: 'COMPLETED', readsAnalysed: 256 });
    expect(await ledger(runId)).toEqual([
      { file: 'barcode01/run_0.fastq.gz', state: 'DONE', reads: '256', reason: null },
    ]);
  });
});
