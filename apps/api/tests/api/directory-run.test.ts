import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HelixProcess, runHelix } from '../support/process.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';
import { type Delivered, type EventLog, subscribeWs, wsClient } from './support.js';

const operator = { key: testKeys.operator };

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 128, workers: 1 }) {
    __typename ... on Run { id source status } ... on InvalidInputError { message field } } }`;

const RUN = `query ($run: ID!) { run(id: $run) { status readsAnalysed } }`;

const METRICS = '{ pipeline { state metrics { filesWaiting bytesWaiting readsAnalysed } } }';

const SAMPLES = `query ($run: ID!) { run(id: $run) { samples { name readsAnalysed mappedReads variantsConfirmed } }
  barcode02: variants(filter: { runId: $run, sample: "barcode02", status: CONFIRMED }, first: 100) {
    totalCount edges { node { sample } } }
  all: variants(filter: { runId: $run, status: CONFIRMED }, first: 1) { totalCount } }`;

interface SampleFigures {
  run: { samples: { name: string; readsAnalysed: number; mappedReads: number; variantsConfirmed: number }[] };
  barcode02: { totalCount: number; edges: { node: { sample: string } }[] };
  all: { totalCount: number };
}

type Alarm = Delivered<{ mutationDetected: { sample: string } }>;

describe('a sequencing run followed over the API while helix simulate writes it', () => {
  let api: TestServer;
  let simulate: HelixProcess;
  let alarms: { log: EventLog<Alarm>; stop: () => void };
  let runId: string;
  let client: Client;
  const run = 'run-2026-12-01';

  beforeAll(async () => {
    api = await startTestServer();
    simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', join(api.inputDir, run), '--samples', '2', '--reads', '1200'],
        ...['--chunk-reads', '200', '--chunk-interval-ms', '400', '--reference-length', '8000'],
        ...['--mutation-rate', '0.003'],
      ],
      {},
    );
    client = wsClient(api);
    alarms = subscribeWs<{ mutationDetected: { sample: string } }>(
      client,
      'subscription { mutationDetected(filter: { sample: "barcode01" }) { sample } }',
    );
    await waitFor(() => existsSync(join(api.inputDir, run, 'reference.fa')), 20_000, 'the run folder');
  });

  afterAll(async () => {
    alarms?.stop();
    await client?.dispose();
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
    runId = started.startPipeline.id;
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

  it('should keep each sample its own figures, calls and alarms', async () => {
    const figures = await queryData<SampleFigures>(api.url, SAMPLES, { variables: { run: runId } });

    expect(figures.run.samples.map(({ name, readsAnalysed }) => ({ name, readsAnalysed }))).toEqual([
      { name: 'barcode01', readsAnalysed: 1_200 },
      { name: 'barcode02', readsAnalysed: 1_200 },
    ]);
    const [first, second] = figures.run.samples;
    expect(first?.variantsConfirmed).toBeGreaterThan(0);
    expect(figures.barcode02.totalCount).toBe(second?.variantsConfirmed);
    expect(figures.barcode02.edges.every(({ node }) => node.sample === 'barcode02')).toBe(true);
    expect(figures.all.totalCount).toBe((first?.variantsConfirmed ?? 0) + (second?.variantsConfirmed ?? 0));
    expect(alarms.log.events.length).toBeGreaterThan(0);
    expect(alarms.log.events.every((event) => event.data?.mutationDetected.sample === 'barcode01')).toBe(true);
  });

  it('should write one VCF column per sample, in first-seen order, that bcftools reads', async () => {
    const response = await fetch(`${api.origin}/runs/${runId}/variants.vcf`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    const vcf = join(api.inputDir, 'calls.vcf');
    await writeFile(vcf, await response.text());

    expect(execFileSync('bcftools', ['query', '-l', vcf], { encoding: 'utf8' })).toBe('barcode01\nbarcode02\n');
    const records = execFileSync('bcftools', ['view', '-H', vcf], { encoding: 'utf8' }).trim().split('\n');
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((line) => line.split('\t').length === 11)).toBe(true);
  });

  it('should refuse a run folder outside the input directory, naming the field', async () => {
    const refused = await queryData<{ startPipeline: { __typename: string; field: string } }>(api.url, START, {
      ...operator,
      variables: { directory: '../elsewhere', reference: `${run}/reference.fa` },
    });
    expect(refused.startPipeline).toMatchObject({ __typename: 'InvalidInputError', field: 'directory' });
  });
});
