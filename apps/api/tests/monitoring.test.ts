import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findFreePort } from '../src/db/embedded.js';
import { createInterpretationService } from '../src/interpret/service.js';
import { createLogger } from '../src/logger.js';
import { serveWorkerMetrics, type WorkerMetricsServer } from '../src/transport/worker-metrics.js';
import { createScratchDatabase } from './support/database.js';
import { runHelix } from './support/process.js';
import { exposedNames, metricNames } from './support/promql.js';
import { testRedis } from './support/redis.js';
import { queryData, startTestServer, type TestServer, testKeys } from './support/server.js';
import { waitFor } from './support/wait-for.js';

const monitoring = new URL('../../../deploy/monitoring/', import.meta.url);
const dashboardFile = fileURLToPath(new URL('grafana/dashboards/helix.json', monitoring));
const rulesFile = fileURLToPath(new URL('prometheus/rules/helix.rules.yml', monitoring));

/** Series Prometheus writes itself for every target, not read from /metrics. */
const PROMETHEUS_OWN = new Set(['up']);

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

interface Rules {
  groups: { rules: { alert: string; expr: string; for?: string }[] }[];
}

const START = `mutation { startPipeline(input: {
  source: SIMULATED, referenceLength: 20000, readLength: 100,
  readsPerSecond: 20000, batchSize: 128, mutationRate: 0.002, errorRate: 0.001,
  highWater: 20, lowWater: 5, seed: 18, workers: 1 }) { __typename ... on Run { id } } }`;

describe('metricNames', () => {
  it('should read metric names out of PromQL, skipping functions, labels, ranges and keywords', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, operation_type) (rate(helix_a_bucket{status=~"5..", x="y"}[5m:1m])))' +
          ' / on() group_left(instance) (helix_b or vector(0)) > 1e3 and max without (job) (helix_c offset 5m)',
      ),
    ).toEqual(['helix_a_bucket', 'helix_b', 'helix_c']);
  });
});

describe('the dashboard and the alert rules, against a scrape after a short simulated run', () => {
  let api: TestServer;
  let worker: WorkerMetricsServer;
  let exposed: Set<string>;
  let apiExposition: string;
  let workerExposition: string;
  const workerStats = { batches: 3, reads: 384, reclaimed: 0, deadLettered: 0 };

  beforeAll(async () => {
    api = await startTestServer();
    // As `helix serve` does once its database is open; rules only, no model here.
    const logger = createLogger('silent');
    const interpretation = createInterpretationService({
      pool: api.database.pool,
      logger,
      config: { groq: undefined },
    });
    api.server.metrics.followInterpretation(interpretation);
    worker = await serveWorkerMetrics(workerStats, 0, '127.0.0.1');

    await queryData(api.url, START, { key: testKeys.operator });
    const analysed = async () => {
      const { pipeline } = await queryData<{ pipeline: { metrics: { readsAnalysed: number } } }>(
        api.url,
        '{ pipeline { metrics { readsAnalysed } } }',
      );
      return pipeline.metrics.readsAnalysed > 0;
    };
    await waitFor(analysed, 15_000, 'the run to analyse reads');
    await queryData(api.url, 'mutation { stopPipeline(drain: true) { __typename } }', { key: testKeys.operator });

    const scrape = async (url: string) => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      return response.text();
    };
    apiExposition = await scrape(`${api.origin}/metrics`);
    workerExposition = await scrape(`http://127.0.0.1:${worker.address.port}/metrics`);
    exposed = new Set([...exposedNames(apiExposition), ...exposedNames(workerExposition)]);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('should find a metric in every panel query of the dashboard, each exposed by /metrics', async () => {
    const dashboard = JSON.parse(await readFile(dashboardFile, 'utf8')) as Dashboard;
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        const names = metricNames(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        const missing = names.filter((name) => !exposed.has(name));
        expect(missing, `${panel.title}: ${expr}`).toEqual([]);
      }
    }
  });

  it('should find a metric in every alert rule, each exposed by /metrics or written by Prometheus', async () => {
    const rules = parse(await readFile(rulesFile, 'utf8')) as Rules;
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.length).toBeGreaterThan(0);
    for (const { alert, expr } of alerts) {
      const names = metricNames(expr);
      expect(names.length, `${alert}: ${expr}`).toBeGreaterThan(0);
      const missing = names.filter((name) => !exposed.has(name) && !PROMETHEUS_OWN.has(name));
      expect(missing, `${alert}: ${expr}`).toEqual([]);
    }
  });

  it('should report the ready database, the run and the worker in the values the alerts read', () => {
    const value = (exposition: string, name: string) =>
      Number(exposition.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
    expect(value(apiExposition, 'helix_database_ready')).toBe(1);
    expect(value(apiExposition, 'helix_reads_analysed_total')).toBeGreaterThan(0);
    expect(value(apiExposition, 'helix_interpretation_breaker_open')).toBe(0);
    expect(value(workerExposition, 'helix_worker_batches_total')).toBe(workerStats.batches);
  });
});

describe('helix worker --metrics-port', () => {
  it("should serve the worker's counters on /metrics while it runs", async () => {
    const redis = await testRedis(11);
    const scratch = await createScratchDatabase();
    const port = await findFreePort();
    const worker = runHelix(['worker', '--threads', '1', '--metrics-port', String(port)], {
      DATABASE_URL: scratch.url,
      REDIS_URL: redis.url,
    });
    try {
      await worker.waitFor('worker ready');
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^helix_worker_batches_total 0$/m);
      expect(await worker.stop()).toBe(0);
    } finally {
      await worker.stop();
      await scratch.drop();
      await redis.release();
    }
  }, 60_000);
});
