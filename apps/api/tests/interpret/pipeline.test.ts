import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterpretationService } from '../../src/interpret/service.js';
import type { RunConfigInput } from '../../src/pipeline/config.js';
import type { PipelineObserver } from '../../src/pipeline/events.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { type FakeGroq, startFakeGroq } from './support/fake-groq.js';
import {
  capturingLogger,
  interpretationsOf,
  openTestDatabase,
  type TestDatabase,
  waitFor,
} from './support/scenario.js';

const MODEL = 'llama-3.1-8b-instant';
const RUN: RunConfigInput = { referenceLength: 50_000, totalReads: 20_000, readsPerSecond: 0, workers: 1, seed: 11 };

let database: TestDatabase;
let fake: FakeGroq;

beforeAll(async () => {
  database = await openTestDatabase();
  fake = await startFakeGroq();
});

afterAll(async () => {
  await fake.close();
  await database.close();
});

/** Runs the pipeline to the end of its reads; returns the run id, its totals and its wall time. */
async function timedRun(observer?: PipelineObserver) {
  const pipeline = new Pipeline({ store: database.store, ...(observer && { observer }) });
  const started = performance.now();
  const run = await pipeline.start(RUN);
  const outcome = await pipeline.whenRunEnds();
  return { runId: run.id, outcome, seconds: (performance.now() - started) / 1_000 };
}

describe('interpretation beside a real pipeline', () => {
  it('should never make the pipeline wait, and interpret every confirmed variant afterwards', async () => {
    await timedRun(); // warm-up: first index build, worker start, JIT
    const baseline = await timedRun();

    // The model answers after 500 ms, and not at all until the run is over.
    fake.fallback = { kind: 'valid', delayMs: 500 };
    let release!: () => void;
    fake.holdUntil = new Promise((resolve) => {
      release = resolve;
    });
    const { logger, lines } = capturingLogger();
    const service = createInterpretationService({
      pool: database.pool,
      logger,
      config: { groq: { apiKey: 'gsk_pipeline_test_0000', baseUrl: fake.baseUrl, model: MODEL } },
      tuning: { rulesFlushMs: 50, batchLingerMs: 50, requestsPerMinute: 600, tokensPerMinute: 1_000_000 },
    });
    await service.start();
    try {
      const interpreted = await timedRun(service.observer);
      const confirmed = interpreted.outcome.totals.variantsConfirmed;
      expect(interpreted.outcome.status).toBe('COMPLETED');
      expect(confirmed).toBeGreaterThan(10);

      // The run ended with the model's answers still held back: it never waited for them.
      expect(service.metrics().interpretedByModel).toBe(0);
      // Every confirmed call was announced. A shallow call the first reads confirm may fall back to
      // candidate and be confirmed again, and is then announced again: count the calls announced.
      const announced = lines.filter((line) => line.msg === 'mutation detected');
      expect(
        new Set(announced.map(({ contig, position, ref, alt }) => `${contig}:${position}:${ref}>${alt}`)).size,
      ).toBe(confirmed);
      console.log(
        `pipeline wall time: ${baseline.seconds.toFixed(2)} s without interpretation, ` +
          `${interpreted.seconds.toFixed(2)} s with the model answering after 500 ms ` +
          `(ratio ${(baseline.seconds / interpreted.seconds).toFixed(2)}); ${confirmed} confirmed variants`,
      );
      // Speed itself is measured in bench/interpret.ts, not asserted here: the held answers prove
      // the run never waited for the model.

      release();
      await waitFor(
        async () => {
          const rows = await interpretationsOf(database, interpreted.runId);
          return rows.length === confirmed && rows.every((row) => row.source === MODEL && row.state === 'DONE');
        },
        30_000,
        'every confirmed variant interpreted by the model',
      );
      const rows = await interpretationsOf(database, interpreted.runId);
      // The rules' facts came from the run's own reference, rebuilt from its stored config.
      for (const row of rows) expect(row.interpretation).toMatchObject({ rules: { referenceContext: true } });
      // The earlier runs' variants, never interpreted, were pending: the start's sweep took them too.
      const { rows: all } = await database.pool.query<{ confirmed: string }>(
        `SELECT count(*) AS confirmed FROM variants WHERE status = 'CONFIRMED'`,
      );
      expect(service.metrics()).toMatchObject({
        interpretedByModel: Number(all[0]?.confirmed),
        pending: 0,
        failures: 0,
        invalidAnswers: 0,
      });
    } finally {
      release();
      await service.stop();
    }
  });

  it('should give every confirmed variant of a run a rules interpretation when no key is set', async () => {
    const { logger } = capturingLogger();
    const service = createInterpretationService({
      pool: database.pool,
      logger,
      config: { groq: undefined },
      tuning: { rulesFlushMs: 50 },
    });
    await service.start();
    try {
      const { runId, outcome } = await timedRun(service.observer);
      await waitFor(
        async () => {
          const rows = await interpretationsOf(database, runId);
          return rows.length === outcome.totals.variantsConfirmed && rows.every((row) => row.source === 'rules');
        },
        10_000,
        'rules for every confirmed variant',
      );
      const rows = await interpretationsOf(database, runId);
      expect(rows.every((row) => row.state === 'DONE' && typeof row.interpretation?.summary === 'string')).toBe(true);
    } finally {
      await service.stop();
    }
  });
});
