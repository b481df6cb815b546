import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Reference } from '@helix/native';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HelixProcess, runHelix } from '../support/process.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { type Delivered, type EventLog, subscribeWs, wsClient } from './support.js';

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 128, workers: 1 }) {
    __typename ... on Run { id startedAt } ... on InvalidInputError { message field } } }`;

const STORED = `query ($run: ID!) {
  variants(filter: { runId: $run, status: CONFIRMED }) {
    edges { node { id fileArrivedAt detectedAt readsUntilDetection } } } }`;

interface Timed {
  id: string;
  sample: string;
  fileArrivedAt: string | null;
  detectedAt: string | null;
  readsUntilDetection: number | null;
}

type Alarm = Delivered<{ mutationDetected: Timed }>;

/** Each sample's file arrivals (modification times) in the run folder, as ISO strings. */
async function arrivalsBySample(runDir: string): Promise<Map<string, Set<string>>> {
  const arrivals = new Map<string, Set<string>>();
  const pass = join(runDir, 'fastq_pass');
  for (const sample of await readdir(pass)) {
    const files = await readdir(join(pass, sample));
    const stamps = await Promise.all(files.map((file) => stat(join(pass, sample, file))));
    arrivals.set(sample, new Set(stamps.map((stamp) => new Date(stamp.mtimeMs).toISOString())));
  }
  return arrivals;
}

describe('time to detection of a sequencing run followed while it is written', () => {
  let api: TestServer;
  let simulate: HelixProcess;
  let alarms: { log: EventLog<Alarm>; stop: () => void };
  let client: Client;
  let run: { id: string; startedAt: string };
  const name = 'run-latency';

  beforeAll(async () => {
    api = await startTestServer();
    await mkdir(join(api.inputDir, name));
    Reference.random(8_000, 7).writeFasta(join(api.inputDir, 'reference.fa'));
    client = wsClient(api);
    alarms = subscribeWs<{ mutationDetected: Timed }>(
      client,
      'subscription { mutationDetected { id sample fileArrivedAt detectedAt readsUntilDetection } }',
    );
    const started = await queryData<{ startPipeline: { __typename: string; id: string; startedAt: string } }>(
      api.url,
      START,
      { key: testKeys.operator, variables: { directory: name, reference: 'reference.fa' } },
    );
    expect(started.startPipeline.__typename).toBe('Run');
    run = started.startPipeline;
    // The folder is written only once the run follows it, so every file arrives during the run.
    simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', join(api.inputDir, name), '--reference', join(api.inputDir, 'reference.fa')],
        ...['--samples', '2', '--reads', '1200', '--chunk-reads', '200', '--chunk-interval-ms', '300'],
        ...['--mutation-rate', '0.003'],
      ],
      {},
    );
    expect(await simulate.exited).toBe(0);
    await api.pipeline.whenRunEnds();
  });

  afterAll(async () => {
    alarms?.stop();
    await client?.dispose();
    simulate?.child.kill();
    await api?.close();
  });

  it('should stamp each alarm with the arrival of a file of its sample, after the run started and before it went out', async () => {
    const arrivals = await arrivalsBySample(join(api.inputDir, name));
    const timed = alarms.log.events.map((event) => event.data?.mutationDetected as Timed);

    expect(timed.length).toBeGreaterThan(0);
    for (const alarm of timed) {
      const arrived = Date.parse(alarm.fileArrivedAt ?? '');
      const detected = Date.parse(alarm.detectedAt ?? '');
      expect(arrived).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
      expect(arrived).toBeLessThanOrEqual(detected);
      expect(arrivals.get(alarm.sample)?.has(alarm.fileArrivedAt ?? '')).toBe(true);
    }
  });

  it('should say how many reads of its sample had been analysed when the call was confirmed', () => {
    const reads = alarms.log.events.map((event) => event.data?.mutationDetected.readsUntilDetection ?? 0);

    expect(reads.every((count) => count > 0 && count <= 1_200)).toBe(true);
  });

  it("should store each call with its first alarm's file arrival and read count, and leave its detection time off", async () => {
    const stored = await queryData<{ variants: { edges: { node: Omit<Timed, 'sample'> }[] } }>(api.url, STORED, {
      variables: { run: run.id },
    });
    const firstAlarms = new Map<string, Timed>();
    for (const event of alarms.log.events) {
      const alarm = event.data?.mutationDetected as Timed;
      if (!firstAlarms.has(alarm.id)) firstAlarms.set(alarm.id, alarm);
    }
    const announced = stored.variants.edges.map(({ node }) => node).filter((call) => firstAlarms.has(call.id));

    expect(announced.length).toBeGreaterThan(0);
    for (const call of announced) {
      expect(call).toEqual({
        id: call.id,
        fileArrivedAt: firstAlarms.get(call.id)?.fileArrivedAt,
        detectedAt: null,
        readsUntilDetection: firstAlarms.get(call.id)?.readsUntilDetection,
      });
    }
  });
});
