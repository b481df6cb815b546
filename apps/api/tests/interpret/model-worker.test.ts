import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteKey } from '../../src/interpret/interpretation-store.js';
import { ModelWorker, type ModelWorkerOptions } from '../../src/interpret/model-worker.js';
import { type FakeGroq, startFakeGroq } from './support/fake-groq.js';
import { type Plumbing, plumbingOver, type StoredVariant, storeWithRules } from './support/parts.js';
import {
  confirmedVariants,
  createRun,
  interpretationsOf,
  openTestDatabase,
  type TestDatabase,
  waitFor,
} from './support/scenario.js';

const MODEL = 'llama-3.3-70b-versatile';
const KEY = 'gsk_worker_test_key_0000';

/** Quick enough for tests: short waits and timeouts, a breaker that trips fast. */
const FAST: ModelWorkerOptions['tuning'] = {
  queueCapacity: 100,
  batchSize: 4,
  batchLingerMs: 200,
  sweepIntervalMs: 60_000,
  maxAttempts: 2,
  requestsPerMinute: 10_000,
  tokensPerMinute: 10_000_000,
  failureThreshold: 3,
  cooldownMs: 300,
  timeoutMs: 2_000,
  maxRetries: 0,
};

let database: TestDatabase;
let plumbing: Plumbing;
let fake: FakeGroq;
const workers: ModelWorker[] = [];

beforeEach(async () => {
  database = await openTestDatabase();
  plumbing = plumbingOver(database.pool);
  fake = await startFakeGroq({ apiKey: KEY });
});

afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await fake.close();
  await database.close();
});

function modelWorker(tuning: Partial<ModelWorkerOptions['tuning']> = {}, apiKey = KEY): ModelWorker {
  const worker = new ModelWorker({
    ...plumbing,
    groq: { apiKey, baseUrl: fake.baseUrl, model: MODEL },
    tuning: { ...FAST, ...tuning },
  });
  workers.push(worker);
  worker.start();
  return worker;
}

/** Variants of a new run stored with their rules, pending for the model and counted as such. */
async function storedVariants(count: number): Promise<{ runId: string; stored: StoredVariant[] }> {
  const runId = await createRun(database);
  const stored = await storeWithRules(database, plumbing, confirmedVariants(runId, count));
  for (const _ of stored) plumbing.pending.detected();
  return { runId, stored };
}

const offerAll = (worker: ModelWorker, stored: StoredVariant[]) => {
  for (const { id, variant } of stored) worker.offer(id, variant);
};

const everyRow = async (runId: string, predicate: (row: { source: string | null; state: string }) => boolean) =>
  (await interpretationsOf(database, runId)).every(predicate);

describe('batches', () => {
  it("should send a full batch at once through groq-sdk and store the model's answers", async () => {
    const worker = modelWorker({ batchLingerMs: 60_000 });
    const { runId, stored } = await storedVariants(4);
    offerAll(worker, stored);
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL && row.state === 'DONE'), 10_000, 'answers');

    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${KEY}`);
    expect(fake.requests[0]?.ids).toEqual(['v1', 'v2', 'v3', 'v4']);
    expect(plumbing.events.map((event) => event.id)).toEqual(stored.map((entry) => entry.id));
    expect(plumbing.pending.value).toBe(0);
    expect(worker.metrics()).toMatchObject({
      requests: 1,
      retries: 0,
      interpretedByModel: 4,
      lastLatencyMs: expect.any(Number),
    });
  });

  it('should let a short batch gather what comes within the linger time and send it as one', async () => {
    const worker = modelWorker({ batchSize: 8, batchLingerMs: 300 });
    const { runId, stored } = await storedVariants(3);
    offerAll(worker, stored.slice(0, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    offerAll(worker, stored.slice(1));
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 10_000, 'answers');
    expect(fake.requests.map((request) => request.ids)).toEqual([['v1', 'v2', 'v3']]);
  });

  it('should hold a variant while it waits or is asked about, and take one entry per variant', async () => {
    fake.holdUntil = new Promise(() => undefined);
    const worker = modelWorker({ batchLingerMs: 0 });
    const { stored } = await storedVariants(1);
    const [{ id, variant }] = stored as [StoredVariant];
    worker.offer(id, variant);
    worker.offer(id, variant);
    expect(worker.queued).toBe(1);
    await fake.waitForRequests(1);
    expect(worker.queued).toBe(0);
    expect(worker.holds(siteKey(variant))).toBe(true);
  });
});

describe('failures', () => {
  it('should keep the variants of a failed request queued and send them again', async () => {
    fake.script({ kind: 'status', status: 503 });
    const worker = modelWorker({ batchLingerMs: 0 });
    const { runId, stored } = await storedVariants(2);
    offerAll(worker, stored);
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 10_000, 'answers after the failure');
    expect(fake.requests.map((request) => request.ids)).toEqual([
      ['v1', 'v2'],
      ['v1', 'v2'],
    ]);
    expect(worker.metrics()).toMatchObject({ requests: 2, failures: 1, breakerState: 'closed' });
  });

  it('should open the breaker after repeated failures, refuse work while open, and close it with a probe', async () => {
    fake.script({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'status', status: 503 });
    const worker = modelWorker({ batchLingerMs: 0, failureThreshold: 3, cooldownMs: 1_000 });
    const { runId, stored } = await storedVariants(2);
    offerAll(worker, stored);
    await waitFor(() => worker.metrics().breakerState === 'open', 10_000, 'the breaker to open');
    expect(worker.accepting).toBe(false);
    expect(fake.requests).toHaveLength(3);
    expect(plumbing.lines.filter((line) => String(line.msg).startsWith('model circuit breaker open'))).toHaveLength(1);

    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 10_000, 'the probe to succeed');
    expect(fake.requests).toHaveLength(4);
    expect(worker.metrics()).toMatchObject({ breakerState: 'closed', breakerOpened: 1, failures: 3 });
    expect(worker.accepting).toBe(true);
  });

  it('should pause at once on a refused key and say so in one line without the key', async () => {
    const worker = modelWorker({ batchLingerMs: 0, cooldownMs: 60_000 }, 'gsk_a_wrong_key_0000000');
    const { runId, stored } = await storedVariants(2);
    offerAll(worker, stored);
    await waitFor(() => worker.metrics().breakerState === 'open', 10_000, 'the breaker to open');
    const errors = plumbing.lines.filter((line) => (line.level as number) >= 50);
    expect(errors.map((line) => line.msg)).toEqual([expect.stringMatching(/^Groq refused the API key \(HTTP 401\)/)]);
    expect(JSON.stringify(plumbing.lines)).not.toContain('gsk_a_wrong_key');
    expect(worker.metrics()).toMatchObject({ failures: 1, requests: 1 });
    expect(await everyRow(runId, (row) => row.source === 'rules' && row.state === 'PENDING')).toBe(true);
  });
});

describe('stopping', () => {
  it('should abort the request under way, count no failure, and take no more work', async () => {
    fake.script({ kind: 'hang' });
    const worker = modelWorker({ batchLingerMs: 0, timeoutMs: 30_000 });
    const { runId, stored } = await storedVariants(2);
    offerAll(worker, stored);
    await fake.waitForRequests(1);
    await worker.stop();
    expect(worker.metrics()).toMatchObject({ requests: 1, failures: 0 });
    offerAll(worker, stored);
    expect(worker.queued).toBe(0);
    expect(await everyRow(runId, (row) => row.source === 'rules' && row.state === 'PENDING')).toBe(true);
  });
});
