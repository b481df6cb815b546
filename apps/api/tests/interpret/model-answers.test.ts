import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AskedBatch, type ModelAnswer, ModelAnswers } from '../../src/interpret/model-answers.js';
import { parseAnswer } from '../../src/interpret/prompt.js';
import { rulesInContext } from '../../src/interpret/rules-in-context.js';
import { validAnswer } from './support/fake-groq.js';
import { type Plumbing, plumbingOver, type StoredVariant, storeWithRules } from './support/parts.js';
import {
  confirmedVariants,
  createRun,
  interpretationsOf,
  openTestDatabase,
  type TestDatabase,
} from './support/scenario.js';

const MODEL = 'llama-3.1-8b-instant';

let database: TestDatabase;
let plumbing: Plumbing;

beforeEach(async () => {
  database = await openTestDatabase();
  plumbing = plumbingOver(database.pool);
});

afterEach(async () => {
  await database.close();
});

const answers = (maxAttempts = 2) => new ModelAnswers({ ...plumbing, model: MODEL, maxAttempts });

/** A run's variants stored with their rules, counted as pending, and the batch that asks about them. */
async function askedBatch(count: number): Promise<{ runId: string; stored: StoredVariant[]; batch: AskedBatch }> {
  const runId = await createRun(database);
  const stored = await storeWithRules(database, plumbing, confirmedVariants(runId, count));
  for (const _ of stored) plumbing.pending.detected();
  const prompts = await Promise.all(stored.map((entry) => rulesInContext(plumbing.referenceContext, entry.variant)));
  return { runId, stored, batch: { ids: stored.map((entry) => entry.id), prompts } };
}

/** The model's answer naming the first `count` prompt ids of a batch of `size`. */
const answered = (size: number, count = size): ModelAnswer => ({
  kind: 'answered',
  answer: parseAnswer(validAnswer(Array.from({ length: count }, (_, index) => `v${index + 1}`)), size),
  latencyMs: 42,
  tokens: 300,
});

const invalid: ModelAnswer = { kind: 'invalid', reason: 'the answer is not JSON', latencyMs: 40, tokens: 120 };

describe('a usable answer', () => {
  it("should store every entry as final with the model's name and the rules beside it", async () => {
    const { runId, stored, batch } = await askedBatch(3);
    const model = answers();
    await model.store(batch, answered(3));

    const rows = await interpretationsOf(database, runId);
    for (const row of rows) {
      expect(row).toMatchObject({ source: MODEL, state: 'DONE', attempts: 0 });
      expect(row.interpretation).toMatchObject({
        source: MODEL,
        significance: 'uncertain',
        latencyMs: 42,
        batchSize: 3,
        rules: { source: 'rules' },
      });
    }
    expect(plumbing.events.map((event) => [event.id, event.source])).toEqual(stored.map((entry) => [entry.id, MODEL]));
    expect(model.interpreted).toBe(3);
    expect(model.lastLatencyMs).toBe(42);
    expect(plumbing.pending.value).toBe(0);
  });

  it('should store what a partial answer holds and count one attempt against the rest', async () => {
    const { runId, batch } = await askedBatch(4);
    const model = answers();
    await model.store(batch, answered(4, 1));

    const rows = await interpretationsOf(database, runId);
    expect(rows.map((row) => [row.source, row.state, row.attempts])).toEqual([
      [MODEL, 'DONE', 0],
      ['rules', 'PENDING', 1],
      ['rules', 'PENDING', 1],
      ['rules', 'PENDING', 1],
    ]);
    expect(model.invalid).toBe(1);
    expect(model.rejected).toBe(0);
    expect(plumbing.pending.value).toBe(3);
    expect(plumbing.lines.map((line) => line.msg)).toEqual([
      'model answer incomplete; the variants left out keep their rules interpretation for now',
    ]);
  });
});

describe('an invalid answer', () => {
  it('should count an attempt against every variant asked about and keep their rules', async () => {
    const { runId, batch } = await askedBatch(2);
    const model = answers(3);
    await model.store(batch, invalid);

    const rows = await interpretationsOf(database, runId);
    expect(rows.map((row) => [row.source, row.state, row.attempts])).toEqual([
      ['rules', 'PENDING', 1],
      ['rules', 'PENDING', 1],
    ]);
    expect(model.invalid).toBe(1);
    expect(model.lastLatencyMs).toBeNull();
    expect(plumbing.events).toHaveLength(0);
    expect(plumbing.lines[0]).toMatchObject({
      msg: 'model answer rejected; rules interpretation kept',
      reason: 'the answer is not JSON',
    });
  });

  it('should give the variants up after the last attempt allowed and settle them', async () => {
    const { runId, batch } = await askedBatch(2);
    const model = answers(2);
    await model.store(batch, invalid);
    await model.store(batch, invalid);

    const rows = await interpretationsOf(database, runId);
    expect(rows.map((row) => [row.source, row.state, row.attempts])).toEqual([
      ['rules', 'REJECTED', 2],
      ['rules', 'REJECTED', 2],
    ]);
    expect(model.invalid).toBe(2);
    expect(model.rejected).toBe(2);
    expect(plumbing.pending.value).toBe(0);
  });
});
