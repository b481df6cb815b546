import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InterpretationStore, siteKey } from '../../src/interpret/interpretation-store.js';
import type { InterpretableVariant } from '../../src/interpret/rules.js';
import { RULES_WRITE_TRIES, RulesWriter, type RulesWriterOptions } from '../../src/interpret/rules-writer.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { type Plumbing, plumbingOver, poolOfMissingDatabase } from './support/parts.js';
import {
  confirmedVariants,
  createRun,
  interpretationsOf,
  openTestDatabase,
  type TestDatabase,
  waitFor,
} from './support/scenario.js';

const FLUSH_MS = 20;

let database: TestDatabase;
let plumbing: Plumbing;
const writers: RulesWriter[] = [];

beforeEach(async () => {
  database = await openTestDatabase();
  plumbing = plumbingOver(database.pool);
});

afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.stop();
  await database.close();
});

function rulesWriter(options: Partial<RulesWriterOptions> = {}, over: Plumbing = plumbing): RulesWriter {
  const writer = new RulesWriter({ ...over, capacity: 1_000, flushMs: FLUSH_MS, ...options });
  writers.push(writer);
  return writer;
}

/** Announces the variants to the writer as the service does, counting each as pending. */
function announce(writer: RulesWriter, variants: VariantRecord[]): void {
  for (const variant of variants) {
    plumbing.pending.detected();
    writer.offer(variant, 'announced');
  }
}

describe('the rules writer without a model', () => {
  it('should store a final rules interpretation of every announced variant and tell listeners', async () => {
    const writer = rulesWriter();
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 6);
    await database.store.upsertVariants(variants);
    announce(writer, variants);
    await waitFor(() => writer.interpreted === 6, 10_000, 'six rules interpretations');

    const rows = await interpretationsOf(database, runId);
    for (const row of rows) {
      expect(row).toMatchObject({ source: 'rules', state: 'DONE', attempts: 0 });
      expect(row.interpretation).toMatchObject({ source: 'rules', referenceContext: true });
    }
    expect(plumbing.events.map((event) => [event.source, event.position])).toEqual(
      variants.map((variant) => ['rules', variant.position]),
    );
    expect(plumbing.pending.value).toBe(0);
    expect(writer.queued).toBe(0);
  });

  it('should hold a variant while it waits and let go once it is written', async () => {
    const writer = rulesWriter();
    const runId = await createRun(database);
    const [variant] = confirmedVariants(runId, 1) as [VariantRecord];
    await database.store.upsertVariants([variant]);
    announce(writer, [variant]);
    expect(writer.holds(siteKey(variant))).toBe(true);
    await waitFor(() => writer.interpreted === 1, 10_000, 'the rules');
    expect(writer.holds(siteKey(variant))).toBe(false);
  });
});

describe('the rules writer before a model', () => {
  it('should leave the rules pending and hand each stored variant on with its row id', async () => {
    const handedOff: { id: string; variant: InterpretableVariant }[] = [];
    const writer = rulesWriter({ handOff: (id, variant) => handedOff.push({ id, variant }) });
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 4);
    await database.store.upsertVariants(variants);
    announce(writer, variants);
    await waitFor(() => handedOff.length === 4, 10_000, 'four hand-offs');

    const rows = await interpretationsOf(database, runId);
    expect(rows.every((row) => row.source === 'rules' && row.state === 'PENDING')).toBe(true);
    const { rows: ids } = await database.pool.query<{ id: string }>(
      'SELECT id FROM variants WHERE run_id = $1 ORDER BY position',
      [runId],
    );
    expect(handedOff.map((entry) => entry.id)).toEqual(ids.map((row) => row.id));
    expect(handedOff.map((entry) => entry.variant.position)).toEqual(variants.map((variant) => variant.position));
    // Still pending: the model's interpretation settles them.
    expect(plumbing.pending.value).toBe(4);
  });

  it('should hand on a variant whose rules are stored already without writing them again', async () => {
    const handedOff: string[] = [];
    const writer = rulesWriter({ handOff: (id) => handedOff.push(id) });
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 2);
    await database.store.upsertVariants(variants);
    announce(writer, variants);
    await waitFor(() => handedOff.length === 2, 10_000, 'the first hand-offs');
    for (const variant of variants) writer.offer(variant, 'stored');
    await waitFor(() => handedOff.length === 4, 10_000, 'the hand-offs of the stored rules');
    expect(writer.interpreted).toBe(2);
    expect(plumbing.events).toHaveLength(2);
  });
});

describe('variants whose row is not there', () => {
  it('should try an announced variant again until the sink writes its row', async () => {
    const writer = rulesWriter();
    const runId = await createRun(database);
    const [variant] = confirmedVariants(runId, 1) as [VariantRecord];
    announce(writer, [variant]);
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 4));
    await database.store.upsertVariants([variant]);
    await waitFor(() => writer.interpreted === 1, 5_000, 'the rules');
    expect((await interpretationsOf(database, runId))[0]?.source).toBe('rules');
  });

  it(`should give an announced variant up after ${RULES_WRITE_TRIES} tries and one found stored after one`, async () => {
    const writer = rulesWriter();
    const runId = await createRun(database);
    const [announced, stored] = confirmedVariants(runId, 2) as [VariantRecord, VariantRecord];
    announce(writer, [announced]);
    writer.offer(stored, 'stored');
    await waitFor(() => !writer.holds(siteKey(stored)), 5_000, 'the stored variant given up');
    expect(writer.holds(siteKey(announced))).toBe(true);
    await waitFor(() => !writer.holds(siteKey(announced)), 10_000, 'the announced variant given up');
    // Left to the sweep: a row written now is not picked up by the writer.
    await database.store.upsertVariants([announced, stored]);
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS * 4));
    expect(writer.interpreted).toBe(0);
    expect((await interpretationsOf(database, runId)).every((row) => row.interpretation === null)).toBe(true);
  });
});

describe('stopping and failing', () => {
  it('should write what is still queued when stopped', async () => {
    const writer = rulesWriter({ flushMs: 60_000 });
    const runId = await createRun(database);
    const variants = confirmedVariants(runId, 3);
    await database.store.upsertVariants(variants);
    announce(writer, variants);
    expect(writer.queued).toBe(3);
    await writer.stop();
    expect(writer.interpreted).toBe(3);
    expect((await interpretationsOf(database, runId)).every((row) => row.state === 'DONE')).toBe(true);
  });

  it('should leave the variants pending and warn once when the database cannot be reached', async () => {
    const missing = poolOfMissingDatabase();
    try {
      const over = { ...plumbingOver(database.pool), store: new InterpretationStore(missing) };
      const writer = rulesWriter({}, over);
      const runId = await createRun(database);
      const variants = confirmedVariants(runId, 3);
      for (const variant of variants) writer.offer(variant, 'announced');
      await waitFor(() => over.lines.length > 0, 10_000, 'the warning');
      await waitFor(() => writer.queued === 0 && variants.every((variant) => !writer.holds(siteKey(variant))));
      writer.offer(confirmedVariants(runId, 1, 40_000)[0] as VariantRecord, 'announced');
      await waitFor(() => writer.queued === 0, 10_000, 'the second failed write');
      await writer.stop();
      expect(over.lines.map((line) => line.msg)).toEqual(['storing rules interpretations failed; they stay pending']);
      expect(writer.interpreted).toBe(0);
    } finally {
      await missing.end();
    }
  });
});
