/**
 * Interpretation benchmark: the live pipeline's reads/s (persistence on) with interpretation off,
 * and with interpretation on against a local LLM server that speaks Groq's chat-completions API
 * and answers each request after 500 ms, driven by the real `groq-sdk`. Runs alternate
 * (off, on, off, on ...) after a warm-up; the medians and their ratio are printed (target ≥ 0.95).
 *
 *   npm run bench -w @helix/api        (this file: tsx bench/interpret.ts [rounds])
 *   BENCH_INTERPRET_READS=400000 tsx bench/interpret.ts 3     (a quicker look)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../src/db/database.js';
import { PostgresResultStore } from '../src/db/result-store.js';
import { loadConfig } from '../src/env.js';
import { createInterpretationService, type InterpretationMetrics } from '../src/interpret/index.js';
import { createLogger } from '../src/logger.js';
import type { RunConfigInput } from '../src/pipeline/config.js';
import type { PipelineObserver } from '../src/pipeline/events.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { startFakeGroq } from '../tests/interpret/support/fake-groq.js';

const rounds = Number(process.argv[2] ?? 5);
const RUN: RunConfigInput = {
  referenceLength: 1_000_000,
  totalReads: Number(process.env.BENCH_INTERPRET_READS ?? 1_000_000),
  readsPerSecond: 0,
  seed: 5,
};
const ANSWER_DELAY_MS = 500;

function line(label: string, value: string): void {
  console.log(`${label.padEnd(44)} ${value}`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const config = loadConfig();
const logger = createLogger('warn');
const scratch = config.databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'helix-bench-interpret-'));
const fake = await startFakeGroq();
fake.fallback = { kind: 'valid', delayMs: ANSWER_DELAY_MS };
let database: Database | undefined;
try {
  database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: scratch ?? config.dataDir, logger });
  const store = new PostgresResultStore(database.pool);
  const pool = database.pool;

  async function run(observer?: PipelineObserver): Promise<{ readsPerSecond: number; confirmed: number }> {
    const pipeline = new Pipeline({ store, ...(observer && { observer }) });
    const started = performance.now();
    await pipeline.start(RUN);
    const outcome = await pipeline.whenRunEnds();
    const seconds = (performance.now() - started) / 1_000;
    return { readsPerSecond: outcome.totals.readsAnalysed / seconds, confirmed: outcome.totals.variantsConfirmed };
  }

  async function interpretedRun(): Promise<{
    readsPerSecond: number;
    confirmed: number;
    metrics: InterpretationMetrics;
  }> {
    // A fresh service per run, as after a restart: its start sweep also takes the earlier runs' pending variants.
    const service = createInterpretationService({
      pool,
      logger,
      config: { groq: { apiKey: 'gsk_bench_0000000000000', baseUrl: fake.baseUrl, model: 'llama-3.3-70b-versatile' } },
      // The benchmark measures the pipeline beside a busy interpreter, not Groq's quota.
      tuning: { requestsPerMinute: 600, tokensPerMinute: 1_000_000 },
    });
    await service.start();
    try {
      return { ...(await run(service.observer)), metrics: service.metrics() };
    } finally {
      await service.stop();
    }
  }

  console.log(
    `# interpretation: pipeline reads/s, ${RUN.totalReads?.toLocaleString('en-US')} reads from a ` +
      `${(RUN.referenceLength as number) / 1e6} Mbp reference, persistence on; LLM answers after ${ANSWER_DELAY_MS} ms`,
  );
  await run(); // warm-up
  const off: number[] = [];
  const on: number[] = [];
  let last: Awaited<ReturnType<typeof interpretedRun>> | undefined;
  for (let round = 0; round < rounds; round += 1) {
    off.push((await run()).readsPerSecond);
    last = await interpretedRun();
    on.push(last.readsPerSecond);
  }
  const fmt = (values: number[]) =>
    `${Math.round(median(values)).toLocaleString('en-US')} reads/s  (runs: ${values.map((v) => Math.round(v / 1_000)).join(', ')} k)`;
  line('interpretation off', fmt(off));
  line(`interpretation on (LLM ${ANSWER_DELAY_MS} ms per request)`, fmt(on));
  if (last) {
    line(
      '  last run: confirmed / model requests',
      `${last.confirmed} / ${last.metrics.requests} (model interpreted ${last.metrics.interpretedByModel}, rules ${last.metrics.interpretedByRules})`,
    );
  }
  line('ratio on / off (target ≥ 0.95)', (median(on) / median(off)).toFixed(3));
} finally {
  await fake.close();
  await database?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}
