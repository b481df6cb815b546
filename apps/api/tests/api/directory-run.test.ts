import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HelixProcess, runHelix } from '../support/process.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';

const operator = { key: testKeys.operator };

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 128, workers: 1 }) {
    __typename ... on Run { id source status } ... on InvalidInputError { message field } } }`;

const RUN = `query ($run: ID!) { run(id: $run) { status readsAnalysed } }`;

const METRICS = '{ pipeline { state metrics { filesWaiting bytesWaiting readsAnalysed } } }';

describe('a sequencing run followed over the API while helix simulate writes it', () => {
  let api: TestServer;
  let simulate: HelixProcess;
  const run = 'run-2026-12-01';

  beforeAll(async () => {
    api = await startTestServer();
    simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', join(api.inputDir, run), '--samples', '2', '--reads', '1200'],
        ...['--chunk-reads', '200', '--chunk-interval-ms', '400', '--reference-length', '8000'],
      ],
      {},
    );
    await waitFor(() => existsSync(join(api.inputDir, run, 'reference.fa')), 20_000, 'the run folder');
  });

  afterAll(async () => {
    simulate?.child.kill();
    await api?.close();
  });

  it('should analyse every read of every file once and complete at the end marker', async () => {
    const started = await queryData<{ startPipeline: { __typename: string; id: string; source: string } }>(
      api.url,
      START,
      { ...operator, variables: { directory: run, reference: `${run}/reference.fa` } },
    );
    expect(started.startPipeline).toMatchObject({ __typename: 'Run', source: 'DIRECTORY' });
    const runningBeforeTheEnd = !existsSync(join(api.inputDir, run, `final_summary_${run}.txt`));
    const live = await queryData<{ pipeline: { state: string; metrics: { filesWaiting: number } } }>(api.url, METRICS);

    const outcome = await api.pipeline.whenRunEnds();
    const stored = await queryData<{ run: { status: string; readsAnalysed: number } }>(api.url, RUN, {
      variables: { run: started.startPipeline.id },
    });
    const { rows } = await api.database.pool.query<{ files: number; reads: string; done: number }>(
      `SELECT count(*)::int AS files, sum(reads) AS reads, count(*) FILTER (WHERE state = 'DONE')::int AS done
       FROM run_files WHERE run_id = $1`,
      [started.startPipeline.id],
    );

    expect(await simulate.exited).toBe(0);
    expect(runningBeforeTheEnd).toBe(true);
    expect(['RUNNING', 'THROTTLED']).toContain(live.pipeline.state);
    expect(typeof live.pipeline.metrics.filesWaiting).toBe('number');
    expect(outcome.status).toBe('COMPLETED');
    expect(stored.run).toEqual({ status: 'COMPLETED', readsAnalysed: 2_400 });
    expect(rows[0]).toEqual({ files: 12, reads: '2400', done: 12 });
  });

  it('should refuse a run folder outside the input directory, naming the field', async () => {
    const refused = await queryData<{ startPipeline: { __typename: string; field: string } }>(api.url, START, {
      ...operator,
      variables: { directory: '../elsewhere', reference: `${run}/reference.fa` },
    });
    expect(refused.startPipeline).toMatchObject({ __typename: 'InvalidInputError', field: 'directory' });
  });
});
