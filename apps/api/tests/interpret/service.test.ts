import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInterpretationService,
  type InterpretationService,
  type InterpretationServiceOptions,
  type InterpretationTuning,
  type VariantInterpreted,
} from '../../src/interpret/service.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { type FakeGroq, startFakeGroq } from './support/fake-groq.js';
import {
  capturingLogger,
  confirmedVariants,
  createRun,
  interpretationsOf,
  openTestDatabase,
  type TestDatabase,
  waitFor,
} from './support/scenario.js';

const MODEL = 'llama-3.3-70b-versatile';
const KEY = 'gsk_test_key_0123456789';

/** Quick enough for tests: short waits, short timeouts, a breaker that trips fast. */
const FAST: Partial<InterpretationTuning> = {
  rulesFlushMs: 20,
  batchLingerMs: 30,
  sweepIntervalMs: 60_000,
  batchSize: 8,
  maxAttempts: 2,
  requestsPerMinute: 10_000,
  tokensPerMinute: 10_000_000,
  failureThreshold: 3,
  cooldownMs: 300,
  timeoutMs: 2_000,
  maxRetries: 2,
};

let database: TestDatabase;
let fake: FakeGroq;
const services: InterpretationService[] = [];

// A database per test: a service picks up every pending variant it finds, other tests' included.
beforeEach(async () => {
  database = await openTestDatabase();
});

afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
  await fake?.close();
  await database.close();
});

async function serviceWith(
  options: { groq?: 'fake' | 'none'; apiKey?: string; tuning?: Partial<InterpretationTuning> } = {},
  logger = capturingLogger(),
): Promise<{ service: InterpretationService; lines: Record<string, unknown>[] }> {
  const config: InterpretationServiceOptions['config'] = {
    groq: options.groq === 'none' ? undefined : { apiKey: options.apiKey ?? KEY, baseUrl: fake.baseUrl, model: MODEL },
  };
  const service = createInterpretationService({
    pool: database.pool,
    logger: logger.logger,
    config,
    tuning: { ...FAST, ...options.tuning },
  });
  services.push(service);
  await service.start();
  return { service, lines: logger.lines };
}

/** Stores the variants as the pipeline's sink does, then announces them as the pipeline does. */
async function detect(service: InterpretationService, variants: VariantRecord[]): Promise<void> {
  await database.store.upsertVariants(variants);
  for (const variant of variants) service.observer.mutationDetected(variant);
}

const everyRow = async (
  runId: string,
  predicate: (row: Awaited<ReturnType<typeof interpretationsOf>>[number]) => boolean,
) => {
  const rows = await interpretationsOf(database, runId);
  return rows.length > 0 && rows.every(predicate);
};

describe('interpretation by the model', () => {
  it('should store valid answers with source = the model name, one request per batch', async () => {
    fake = await startFakeGroq({ apiKey: KEY });
    const { service } = await serviceWith();
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 8);
    await detect(service, variants);
    await waitFor(() => everyRow(runId, (row) => row.state === 'DONE'), 15_000, 'model interpretations');

    const rows = await interpretationsOf(database, runId);
    for (const row of rows) {
      expect(row.source).toBe(MODEL);
      expect(row.interpretation).toMatchObject({
        source: MODEL,
        summary: expect.stringContaining('Model interpretation of v'),
        significance: 'uncertain',
        latencyMs: expect.any(Number),
        rules: { source: 'rules', summary: expect.any(String) },
      });
    }
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe('/openai/v1/chat/completions');
    expect(request?.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body.model).toBe(MODEL);
    expect(request?.body.response_format).toEqual({ type: 'json_object' });
    expect(request?.ids).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
    // The reference around each site went along, the changed bases in brackets.
    expect(request?.body.messages[1]?.content).toMatch(/reference: [ACGT]{12}\[[ACGT]+>[ACGT]+\][ACGT]{12}/);
    expect(service.metrics()).toMatchObject({
      model: MODEL,
      interpretedByRules: 8,
      interpretedByModel: 8,
      requests: 1,
      failures: 0,
      invalidAnswers: 0,
      breakerState: 'closed',
    });
  });

  it('should tell listeners of every interpretation stored, rules first', async () => {
    fake = await startFakeGroq();
    const { service } = await serviceWith();
    const events: VariantInterpreted[] = [];
    service.onInterpreted((event) => events.push(event));
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 3));
    await waitFor(() => events.length === 6, 15_000, 'six events');
    expect(events.slice(0, 3).map((event) => event.source)).toEqual(['rules', 'rules', 'rules']);
    expect(events.slice(3).map((event) => event.source)).toEqual([MODEL, MODEL, MODEL]);
  });

  it('should reject prose and wrong JSON, count them, and keep the rules', async () => {
    fake = await startFakeGroq();
    fake.script(
      { kind: 'content', content: 'Sure! These variants look benign to me.' },
      { kind: 'content', content: '{"variants": "all fine"}' },
    );
    const { service } = await serviceWith({ tuning: { maxAttempts: 2 } });
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 4));
    await fake.waitForRequests(1);
    await waitFor(() => everyRow(runId, (row) => row.attempts === 1), 10_000, 'the first rejection');
    // The sweep brings them back for a second (and last) try.
    await service.sweep();
    await waitFor(() => everyRow(runId, (row) => row.state === 'REJECTED'), 10_000, 'variants given up');

    for (const row of await interpretationsOf(database, runId)) {
      expect(row.source).toBe('rules');
      expect(row.interpretation).toMatchObject({ source: 'rules' });
    }
    expect(service.metrics()).toMatchObject({
      invalidAnswers: 2,
      rejectedVariants: 4,
      failures: 0,
      interpretedByModel: 0,
    });
  });

  it("should take Groq's json_validate_failed as an invalid answer, not a failure", async () => {
    fake = await startFakeGroq();
    fake.script({ kind: 'status', status: 400, code: 'json_validate_failed' });
    const { service } = await serviceWith();
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 2));
    await waitFor(() => everyRow(runId, (row) => row.source === 'rules' && row.attempts === 1), 10_000, 'a rejection');
    expect(service.metrics()).toMatchObject({ invalidAnswers: 1, failures: 0, retries: 0, breakerState: 'closed' });
  });

  it('should store what a partial answer holds and count the rest as rejected once', async () => {
    fake = await startFakeGroq();
    fake.script({ kind: 'partial', count: 2 });
    const { service } = await serviceWith({ tuning: { maxAttempts: 3 } });
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 5));
    await waitFor(() => service.metrics().invalidAnswers === 1, 10_000, 'the partial answer');
    const rows = await interpretationsOf(database, runId);
    expect(rows.filter((row) => row.source === MODEL)).toHaveLength(2);
    expect(rows.filter((row) => row.source === 'rules' && row.state === 'PENDING' && row.attempts === 1)).toHaveLength(
      3,
    );
    await service.sweep();
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 10_000, 'the rest on the next sweep');
  });
});

describe('retries, timeouts and the circuit breaker', () => {
  it('should retry a 429 after the time retry-after asks for, then succeed', async () => {
    fake = await startFakeGroq();
    fake.script({ kind: 'status', status: 429, code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } });
    const { service } = await serviceWith();
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 3));
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 15_000, 'model interpretations');

    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(service.metrics()).toMatchObject({ requests: 1, retries: 1, failures: 0, breakerState: 'closed' });
  });

  it('should retry a 500 with backoff and then succeed', async () => {
    fake = await startFakeGroq();
    fake.script({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const { service } = await serviceWith();
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 3));
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 15_000, 'model interpretations');
    expect(fake.requests).toHaveLength(3);
    expect(service.metrics()).toMatchObject({ requests: 1, retries: 2, failures: 0 });
  });

  it('should count timeouts, open the breaker after repeated failures, and close it with a half-open probe', async () => {
    fake = await startFakeGroq();
    fake.script({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const { service, lines } = await serviceWith({
      tuning: { timeoutMs: 200, maxRetries: 0, failureThreshold: 3, cooldownMs: 1_000 },
    });
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 4));
    await waitFor(() => service.metrics().breakerState === 'open', 10_000, 'the breaker to open');
    expect(service.metrics()).toMatchObject({ failures: 3, breakerOpened: 1, interpretedByModel: 0 });
    // While open, nothing is sent.
    expect(fake.requests).toHaveLength(3);
    expect(await everyRow(runId, (row) => row.source === 'rules' && row.state === 'PENDING')).toBe(true);
    expect(lines.filter((line) => line.msg === 'model request failed; its variants stay pending')).toHaveLength(3);
    expect(lines.filter((line) => String(line.msg).startsWith('model circuit breaker open'))).toHaveLength(1);

    // After the cool-down one probe goes; the fake now answers, and the breaker closes.
    await waitFor(() => everyRow(runId, (row) => row.source === MODEL), 10_000, 'the probe to succeed');
    expect(fake.requests).toHaveLength(4);
    expect(service.metrics().breakerState).toBe('closed');
  });

  it('should open the breaker at once on an invalid key, say so in one line, and keep the rules', async () => {
    fake = await startFakeGroq({ apiKey: 'gsk_the_right_key_000000' });
    const { service, lines } = await serviceWith({ apiKey: 'gsk_a_wrong_key_0000000', tuning: { cooldownMs: 200 } });
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 3));
    await fake.waitForRequests(3);
    expect(await everyRow(runId, (row) => row.source === 'rules')).toBe(true);
    const errors = lines.filter((line) => (line.level as number) >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(
      /Groq refused the API key \(HTTP 401\).*rules interpretation continues.*GROQ_API_KEY/,
    );
    expect(JSON.stringify(lines)).not.toContain('gsk_a_wrong_key');
    expect(service.metrics().failures).toBeGreaterThanOrEqual(3);
    expect(service.metrics().retries).toBe(0);
    expect(['open', 'half-open']).toContain(service.metrics().breakerState);
    // Each probe is a single request, a cool-down apart.
    const gaps = fake.requests.slice(1).map((request, index) => request.at - (fake.requests[index]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150);
  });
});

describe('nothing lost', () => {
  it('should end every confirmed variant with an interpretation whatever the model does', async () => {
    fake = await startFakeGroq();
    fake.script(
      { kind: 'status', status: 500 },
      { kind: 'content', content: 'not json at all' },
      { kind: 'partial', count: 1 },
      { kind: 'hang' },
      { kind: 'status', status: 502 },
    );
    const { service } = await serviceWith({
      tuning: { queueCapacity: 5, batchSize: 4, timeoutMs: 300, maxRetries: 1, cooldownMs: 200, sweepIntervalMs: 200 },
    });
    const runId = await createRun(database);
    // More variants than the queues hold: the overflow waits in the database for the sweep.
    await detect(service, confirmedVariants(runId, 30));
    await waitFor(
      () => everyRow(runId, (row) => row.interpretation !== null && row.state !== 'PENDING'),
      30_000,
      'every variant settled',
    );
    const rows = await interpretationsOf(database, runId);
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      expect(row.interpretation).toMatchObject({ source: row.source });
      // Given up after two invalid answers: the rules' interpretation stays.
      if (row.state === 'REJECTED') expect(row.source).toBe('rules');
    }
    // Two invalid answers touched at most seven variants; the rest the model interpreted.
    expect(rows.filter((row) => row.source === MODEL).length).toBeGreaterThanOrEqual(23);
    expect(service.metrics().overflowed).toBeGreaterThan(0);
  });

  it('should write the rules of a variant whose row the sink writes only later', async () => {
    fake = await startFakeGroq();
    const { service } = await serviceWith({ groq: 'none' });
    const runId = await createRun(database);
    const [variant] = confirmedVariants(runId, 1) as [VariantRecord];
    service.observer.mutationDetected(variant);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await database.store.upsertVariants([variant]);
    await waitFor(() => everyRow(runId, (row) => row.source === 'rules'), 5_000, 'the rules');
  });

  it('should pick up pending variants after a restart', async () => {
    fake = await startFakeGroq();
    fake.fallback = { kind: 'status', status: 503 };
    const first = await serviceWith({ tuning: { maxRetries: 0, failureThreshold: 1, cooldownMs: 60_000 } });
    const runId = await createRun(database);
    await detect(first.service, confirmedVariants(runId, 6));
    await waitFor(() => first.service.metrics().breakerState === 'open', 10_000, 'the service to be down');
    // Rows the first process never heard of (it died before the alarm): no interpretation at all.
    const unseen = confirmedVariants(runId, 4, 30_000);
    await database.store.upsertVariants(unseen);
    await first.service.stop();
    const before = await interpretationsOf(database, runId);
    expect(before.filter((row) => row.source === 'rules' && row.state === 'PENDING')).toHaveLength(6);
    expect(before.filter((row) => row.interpretation === null)).toHaveLength(4);

    fake.fallback = { kind: 'valid' };
    const second = await serviceWith();
    await waitFor(
      () => everyRow(runId, (row) => row.source === MODEL && row.state === 'DONE'),
      15_000,
      'all by the model',
    );
    expect(second.service.metrics().interpretedByModel).toBe(10);
    expect(second.service.metrics().pending).toBe(0);
  });
});

describe('without a Groq key', () => {
  it('should give every confirmed variant a final rules interpretation and call no model', async () => {
    fake = await startFakeGroq();
    const { service, lines } = await serviceWith({ groq: 'none' });
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 12));
    await waitFor(() => everyRow(runId, (row) => row.source === 'rules' && row.state === 'DONE'), 10_000, 'rules');
    const rows = await interpretationsOf(database, runId);
    for (const row of rows) {
      expect(row.interpretation).toMatchObject({
        source: 'rules',
        summary: expect.stringMatching(/\.$/),
        referenceContext: true,
      });
    }
    expect(fake.requests).toHaveLength(0);
    expect(service.metrics()).toMatchObject({
      model: null,
      interpretedByRules: 12,
      requests: 0,
      breakerState: 'closed',
    });
    await service.sweep();
    expect(service.metrics().pending).toBe(0);
    expect(lines.some((line) => line.msg === 'interpreting variants by rules (no GROQ_API_KEY)')).toBe(true);
  });
});

describe('the mutation detected alarm', () => {
  it('should log "mutation detected" with contig, position, ref, alt, allele frequency and quality', async () => {
    fake = await startFakeGroq();
    const { service, lines } = await serviceWith({ groq: 'none' });
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 2);
    await detect(service, variants);
    const alarms = lines.filter((line) => line.msg === 'mutation detected');
    expect(alarms).toHaveLength(2);
    expect(alarms[0]).toMatchObject({
      level: 30,
      runId,
      contig: 'random',
      position: variants[0]?.position,
      ref: variants[0]?.ref,
      alt: variants[0]?.alt,
      alleleFrequency: variants[0]?.alleleFrequency,
      quality: variants[0]?.quality,
    });
  });

  it('should name the genes a call touches on its line', async () => {
    fake = await startFakeGroq();
    const { service, lines } = await serviceWith({ groq: 'none' });
    const runId = await createRun(database);
    const [variant] = confirmedVariants(runId, 1);
    if (!variant) throw new Error('no variant');
    variant.effects = [
      {
        consequence: 'MISSENSE',
        soTerm: 'missense_variant',
        impact: 'MODERATE',
        gene: 'rpoB',
        warnings: [],
        aminoAcidChange: 'S450L',
      },
      {
        consequence: 'UPSTREAM',
        soTerm: 'upstream_gene_variant',
        impact: 'MODIFIER',
        locusTag: 'ECB_0042',
        warnings: [],
      },
    ];
    await detect(service, [variant]);
    const alarm = lines.find((line) => line.msg === 'mutation detected');
    expect(alarm?.effects).toEqual(['rpoB:S450L missense_variant', 'ECB_0042 upstream_gene_variant']);
  });

  it('should leave the line to another observer when told to', async () => {
    fake = await startFakeGroq();
    const { logger, lines } = capturingLogger();
    const service = createInterpretationService({
      pool: database.pool,
      logger,
      config: { groq: undefined },
      logAlarm: false,
    });
    services.push(service);
    const runId = await createRun(database);
    await detect(service, confirmedVariants(runId, 2));
    expect(lines.filter((line) => line.msg === 'mutation detected')).toHaveLength(0);
  });
});
