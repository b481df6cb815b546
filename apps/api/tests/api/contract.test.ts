import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { subscribeWs, wsClient } from './support.js';

/** The operations of shared/API.md, character for character. */
const API = {
  start: `mutation { startPipeline(input: {
  source: SIMULATED, referenceLength: 200000, readLength: 150,
  readsPerSecond: 50000, batchSize: 256, mutationRate: 0.001, errorRate: 0.001,
  highWater: 500, lowWater: 100, seed: 7 }) { __typename ... on Run { id } } }`,
  spike: 'mutation { triggerSpike(multiplier: 10, durationSeconds: 5) { state } }',
  stop: 'mutation { stopPipeline(drain: true) { __typename ... on Run { id status } } }',
  thresholds: 'mutation { updateThresholds(highWater: 300, lowWater: 50) { highWater lowWater } }',
  pipeline: `query { pipeline { state throttled highWater lowWater run { id }
  metrics { queueDepth ingestionRate processingRate readsProduced readsAnalysed } } }`,
  runs: 'query { runs(first: 10) { totalCount edges { node { id status startedAt } } } }',
  results: `query ($run: ID!) {
  analyses(filter: { runId: $run }, first: 50) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id sequence reads mappedReads mutatedReads createdAt } } }
  variants(filter: { runId: $run, minQuality: 20 }, orderBy: POSITION, first: 100) {
    totalCount
    edges { node { id contig position ref alt type depth altCount alleleFrequency quality status
      interpretation { source summary } } } }
  stats(runId: $run) { readsAnalysed batchesAnalysed variantsConfirmed }
}`,
  queueMetrics: `subscription { queueMetrics(intervalMs: 250) {
  at state throttled queueDepth highWater lowWater
  ingestionRate processingRate readsProduced readsAnalysed } }`,
  mutationDetected: 'subscription { mutationDetected { id position ref alt alleleFrequency quality } }',
};

const operator = { key: testKeys.operator };

describe('the operations of API.md, exactly as written', () => {
  let api: TestServer;
  let runId: string;

  beforeAll(async () => {
    api = await startTestServer();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('should refuse to change the water marks while nothing runs', async () => {
    const { body } = await postGraphQL(api.url, API.thresholds, operator);
    expect(body.errors?.[0]).toMatchObject({
      message: 'No run is going on.',
      extensions: { code: 'PIPELINE_NOT_RUNNING' },
    });
  });

  it('should answer stopPipeline with PipelineNotRunningError while nothing runs', async () => {
    const data = await queryData<{ stopPipeline: unknown }>(
      api.url,
      'mutation { stopPipeline(drain: true) { __typename ... on Error { message } } }',
      operator,
    );
    expect(data.stopPipeline).toEqual({ __typename: 'PipelineNotRunningError', message: 'No run is going on.' });
  });

  it('should run every operation of the contract', async () => {
    const client = wsClient(api);
    const metrics = subscribeWs<{ queueMetrics: { highWater: number; state: string } }>(client, API.queueMetrics);
    const alarms = subscribeWs<{ mutationDetected: { id: string } }>(client, API.mutationDetected);
    try {
      const started = await queryData<{ startPipeline: { __typename: string; id: string } }>(
        api.url,
        API.start,
        operator,
      );
      expect(started.startPipeline.__typename).toBe('Run');
      runId = started.startPipeline.id;

      const again = await queryData<{ startPipeline: { __typename: string } }>(api.url, API.start, operator);
      expect(again.startPipeline.__typename).toBe('PipelineAlreadyRunningError');

      const spiked = await queryData<{ triggerSpike: { state: string } }>(api.url, API.spike, operator);
      expect(['RUNNING', 'THROTTLED']).toContain(spiked.triggerSpike.state);

      const marks = await queryData<{ updateThresholds: unknown }>(api.url, API.thresholds, operator);
      expect(marks.updateThresholds).toEqual({ highWater: 300, lowWater: 50 });
      await metrics.log.waitFor((event) => event.data?.queueMetrics.highWater === 300);

      const { pipeline } = await queryData<{ pipeline: { state: string; highWater: number; run: { id: string } } }>(
        api.url,
        API.pipeline,
      );
      expect(pipeline).toMatchObject({ highWater: 300, lowWater: 50, run: { id: runId } });

      await alarms.log.waitForCount(1, 20_000);
      const stopped = await queryData<{ stopPipeline: unknown }>(api.url, API.stop, operator);
      expect(stopped.stopPipeline).toEqual({ __typename: 'Run', id: runId, status: 'STOPPED' });

      const { runs } = await queryData<{
        runs: { totalCount: number; edges: { node: { id: string; status: string } }[] };
      }>(api.url, API.runs);
      expect(runs.totalCount).toBe(1);
      expect(runs.edges[0]?.node).toMatchObject({ id: runId, status: 'STOPPED' });

      const results = await queryData<{
        analyses: { totalCount: number };
        variants: { totalCount: number };
        stats: { readsAnalysed: number; batchesAnalysed: number; variantsConfirmed: number };
      }>(api.url, API.results, { variables: { run: runId } });
      expect(results.analyses.totalCount).toBe(results.stats.batchesAnalysed);
      expect(results.stats.readsAnalysed).toBeGreaterThan(0);
      expect(results.stats.variantsConfirmed).toBeGreaterThan(0);
      expect(results.variants.totalCount).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });
});
