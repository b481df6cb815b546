import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { type Delivered, type EventLog, subscribeSse, subscribeWs, wsClient } from './support.js';

interface QueueMetricsEvent {
  queueMetrics: {
    at: string;
    state: string;
    throttled: boolean;
    queueDepth: number;
    highWater: number;
    lowWater: number;
    ingestionRate: number;
    processingRate: number;
    readsProduced: number;
    readsAnalysed: number;
  };
}

const QUEUE_METRICS = `subscription { queueMetrics(intervalMs: 250) {
  at state throttled queueDepth highWater lowWater
  ingestionRate processingRate readsProduced readsAnalysed } }`;

const START = `mutation { startPipeline(input: {
  source: SIMULATED, referenceLength: 50000, readLength: 150,
  readsPerSecond: 20000, batchSize: 256, mutationRate: 0.001, errorRate: 0.001,
  highWater: 20, lowWater: 5, seed: 7, workers: 1 }) { __typename ... on Run { id } } }`;

const RESULTS = `query ($run: ID!) {
  analyses(filter: { runId: $run }, first: 50) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id sequence reads mappedReads mutatedReads createdAt } } }
  variants(filter: { runId: $run, minQuality: 20 }, orderBy: POSITION, first: 100) {
    totalCount
    edges { node { id contig position ref alt type depth altCount alleleFrequency quality status
      interpretation { source summary } } } }
  stats(runId: $run) { readsAnalysed batchesAnalysed variantsConfirmed }
}`;

interface Results {
  analyses: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; sequence: number; reads: number; mappedReads: number } }[];
  };
  variants: {
    totalCount: number;
    edges: { node: { id: string; position: number; quality: number; status: string; type: string } }[];
  };
  stats: { readsAnalysed: number; batchesAnalysed: number; variantsConfirmed: number };
}

const operator = { key: testKeys.operator };

describe('a run driven end to end over HTTP, graphql-ws and SSE', () => {
  let api: TestServer;
  let client: Client;
  let wsMetrics: { log: EventLog<Delivered<QueueMetricsEvent>>; stop: () => void };
  let sseMetrics: { log: EventLog<Delivered<QueueMetricsEvent>>; stop: () => void };
  let alarms: { log: EventLog<Delivered<{ mutationDetected: { id: string; position: number; quality: number } }>> };
  let runId: string;

  beforeAll(async () => {
    api = await startTestServer();
    client = wsClient(api);
    wsMetrics = subscribeWs<QueueMetricsEvent>(client, QUEUE_METRICS);
    sseMetrics = subscribeSse<QueueMetricsEvent>(api.url, QUEUE_METRICS);
    alarms = subscribeWs(client, 'subscription { mutationDetected { id position ref alt alleleFrequency quality } }');
  });

  afterAll(async () => {
    sseMetrics?.stop();
    await client?.dispose();
    await api?.close();
  });

  it('should start a run for an operator and answer with the Run', async () => {
    const data = await queryData<{ startPipeline: { __typename: string; id: string } }>(api.url, START, operator);
    expect(data.startPipeline.__typename).toBe('Run');
    runId = data.startPipeline.id;
    const { pipeline } = await queryData<{ pipeline: { state: string; run: { id: string } } }>(
      api.url,
      '{ pipeline { state throttled highWater lowWater run { id } metrics { queueDepth ingestionRate processingRate readsProduced readsAnalysed } } }',
    );
    expect(pipeline.run.id).toBe(runId);
    expect(['RUNNING', 'THROTTLED']).toContain(pipeline.state);
  });

  it('should stream at least three queueMetrics events of the run over graphql-ws', async () => {
    const from = wsMetrics.log.events.length;
    for (let received = 0; received < 3; received += 1) {
      await wsMetrics.log.waitFor(
        (event) => event.data?.queueMetrics.state !== 'IDLE' && wsMetrics.log.events.indexOf(event) >= from + received,
      );
    }
    const running = wsMetrics.log.events.slice(from).filter((event) => event.data?.queueMetrics.state !== 'IDLE');
    expect(running.length).toBeGreaterThanOrEqual(3);
    const last = running.at(-1)?.data?.queueMetrics;
    expect(last?.highWater).toBe(20);
    expect(last?.lowWater).toBe(5);
    expect(last?.readsProduced).toBeGreaterThan(0);
  });

  it('should stream the same subscription over SSE', async () => {
    await sseMetrics.log.waitFor(
      () => sseMetrics.log.events.filter((e) => e.data?.queueMetrics.state !== 'IDLE').length >= 3,
    );
    const event = sseMetrics.log.events.at(-1)?.data?.queueMetrics;
    expect(event?.highWater).toBe(20);
    expect(typeof event?.readsAnalysed).toBe('number');
  });

  it('should show the producer throttled under a 10× spike, then released', async () => {
    const from = wsMetrics.log.events.length;
    const spike = await queryData<{ triggerSpike: { state: string } }>(
      api.url,
      'mutation { triggerSpike(multiplier: 10, durationSeconds: 2) { state } }',
      operator,
    );
    expect(['RUNNING', 'THROTTLED']).toContain(spike.triggerSpike.state);
    const throttled = await wsMetrics.log.waitFor((event) => event.data?.queueMetrics.throttled === true, 15_000, from);
    const released = await wsMetrics.log.waitFor(
      (event) => event.data?.queueMetrics.throttled === false,
      15_000,
      wsMetrics.log.events.indexOf(throttled) + 1,
    );
    expect(Date.parse(released.data?.queueMetrics.at ?? '')).toBeGreaterThan(
      Date.parse(throttled.data?.queueMetrics.at ?? ''),
    );
  });

  it('should stop with drain and report the stopped Run', async () => {
    const data = await queryData<{ stopPipeline: { __typename: string; id: string; status: string } }>(
      api.url,
      'mutation { stopPipeline(drain: true) { __typename ... on Run { id status } } }',
      operator,
    );
    expect(data.stopPipeline).toEqual({ __typename: 'Run', id: runId, status: 'STOPPED' });
  });

  it('should serve exactly what was produced: every read analysed, every batch stored', async () => {
    const { pipeline } = await queryData<{
      pipeline: { state: string; metrics: { readsProduced: number; readsAnalysed: number } };
    }>(api.url, '{ pipeline { state metrics { readsProduced readsAnalysed } } }');
    expect(pipeline.state).toBe('IDLE');
    const results = await queryData<Results>(api.url, RESULTS, { variables: { run: runId } });
    expect(results.stats.readsAnalysed).toBe(pipeline.metrics.readsProduced);
    const stored = await api.database.pool.query<{ batches: string; reads: string }>(
      'SELECT count(*) AS batches, sum(reads) AS reads FROM analyses WHERE run_id = $1',
      [runId],
    );
    expect(results.analyses.totalCount).toBe(Number(stored.rows[0]?.batches));
    expect(results.analyses.totalCount).toBe(results.stats.batchesAnalysed);
    expect(Number(stored.rows[0]?.reads)).toBe(pipeline.metrics.readsProduced);
    expect(results.analyses.edges).toHaveLength(Math.min(50, results.analyses.totalCount));
    expect(results.analyses.edges.map((edge) => edge.node.sequence)).toEqual(
      [...results.analyses.edges.map((edge) => edge.node.sequence)].sort((a, b) => a - b),
    );
    expect(results.analyses.pageInfo.hasNextPage).toBe(results.analyses.totalCount > 50);
  });

  it('should list the called variants in position order with their count', async () => {
    const results = await queryData<Results>(api.url, RESULTS, { variables: { run: runId } });
    const stored = await api.database.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM variants WHERE run_id = $1 AND quality >= 20',
      [runId],
    );
    expect(results.variants.totalCount).toBe(Number(stored.rows[0]?.n));
    expect(results.variants.totalCount).toBeGreaterThan(0);
    const positions = results.variants.edges.map((edge) => edge.node.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(results.variants.edges.every((edge) => edge.node.quality >= 20)).toBe(true);
    expect(results.stats.variantsConfirmed).toBeGreaterThan(0);
  });

  it('should have announced each confirmed variant live, with the id the stored call has', async () => {
    expect(alarms.log.events.length).toBeGreaterThan(0);
    const alarm = alarms.log.events[0]?.data?.mutationDetected;
    const { variant } = await queryData<{ variant: { id: string; position: number; status: string } | null }>(
      api.url,
      'query ($id: ID!) { variant(id: $id) { id position status } }',
      { variables: { id: alarm?.id } },
    );
    expect(variant).toMatchObject({ id: alarm?.id, position: alarm?.position });
  });

  it("should export the run's confirmed variants as VCF that bcftools accepts", async () => {
    const response = await fetch(`${api.origin}/runs/${runId}/variants.vcf`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    expect(response.status).toBe(200);
    const vcf = await response.text();
    const directory = await mkdtemp(join(tmpdir(), 'helix-vcf-'));
    try {
      const file = join(directory, 'run.vcf');
      await writeFile(file, vcf);
      const records = execFileSync('bcftools', ['view', '-H', file], { encoding: 'utf8' }).trim().split('\n');
      const confirmed = await api.database.pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM variants WHERE run_id = $1 AND status = 'CONFIRMED'",
        [runId],
      );
      expect(records).toHaveLength(Number(confirmed.rows[0]?.n));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
