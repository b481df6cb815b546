import { describe, expect, it } from 'vitest';
import type { CallFigures } from '../../src/interpret/call-figures.js';
import type { InterpretationService, InterpretationTuning } from '../../src/interpret/service.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { annotatedCall } from './support/annotated-genome.js';
import { SCENARIO_MODEL, useAnnotatedScenario } from './support/annotated-scenario.js';
import { type InterpretationRow, interpretationsOf, waitFor } from './support/scenario.js';

const KEY = 'gsk_moving_calls_key_0';

const scenario = useAnnotatedScenario(KEY);
const { createRun } = scenario;

/** A service whose refresh runs only at a run's end (the timer is out of the way). */
function startService(options: { model: boolean; tuning?: Partial<InterpretationTuning> }) {
  return scenario.startService({ model: options.model, tuning: { refreshIntervalMs: 60_000, ...options.tuning } });
}

/** A passing population call at `position` with `altCount` of `depth` reads, split over the strands. */
function populationCall(runId: string, position: number, altCount: number, depth: number): VariantRecord {
  const base = annotatedCall(
    scenario.genome,
    runId,
    { position, alt: 'G' },
    { depth, alleleFrequency: altCount / depth },
  );
  const forwardAlt = Math.ceil(altCount / 2);
  const forwardRef = Math.ceil((depth - altCount) / 2);
  return {
    ...base,
    altCount,
    sample: 'sample',
    genotype: null,
    forwardAltCount: forwardAlt,
    reverseAltCount: altCount - forwardAlt,
    forwardRefCount: forwardRef,
    reverseRefCount: depth - altCount - forwardRef,
    strandBias: 0.3,
    filters: [],
    alleleFrequencyHistory: [],
    status: 'CONFIRMED',
    seenAt: new Date(),
  };
}

/** Confirms `calls` as the pipeline would: stored, then announced. */
async function confirm(live: InterpretationService, calls: VariantRecord[]): Promise<void> {
  await scenario.database.store.upsertVariants(calls);
  for (const call of calls) live.observer.mutationDetected(call);
}

/** The run ends: its final calls are stored, then the pipeline goes idle. */
async function endRun(live: InterpretationService, runId: string, finalCalls: VariantRecord[]): Promise<void> {
  await scenario.database.store.upsertVariants(finalCalls);
  live.observer.status({ state: 'IDLE', runId, at: new Date() });
}

const rowsWhere = async (runId: string, test: (rows: InterpretationRow[]) => boolean) =>
  test(await interpretationsOf(scenario.database, runId));

/** What the tests read of a stored interpretation (the rules', or the model's with the rules beside it). */
interface Stored {
  summary: string;
  writtenFor?: CallFigures;
  rules?: { summary: string; writtenFor?: CallFigures };
}

const stored = (row: InterpretationRow | undefined) => row?.interpretation as Stored | null | undefined;

const byModel = (row: InterpretationRow) => row.source === SCENARIO_MODEL && row.state === 'DONE';

describe('interpretations that follow a moving call', () => {
  it('should rewrite the rules text of a call that moved from 6.8 % of 74 reads to 6.2 % of 471 at the run end', async () => {
    const live = await startService({ model: false });
    const runId = await createRun();
    await confirm(live, [populationCall(runId, 104, 5, 74)]);
    await waitFor(() => rowsWhere(runId, (rows) => rows[0]?.state === 'DONE'), 10_000, 'the first rules text');
    const [first] = await interpretationsOf(scenario.database, runId);
    expect(stored(first)?.summary).toContain('subclonal minority variant at 6.8 % of 74 reads');

    await endRun(live, runId, [populationCall(runId, 104, 29, 471)]);
    await waitFor(
      () => rowsWhere(runId, (rows) => stored(rows[0])?.writtenFor?.depth === 471),
      10_000,
      'the rules text rewritten for the final call',
    );

    const [last] = await interpretationsOf(scenario.database, runId);
    expect(stored(last)?.summary).toContain('subclonal minority variant at 6.2 % of 471 reads');
    expect(last?.interpretation).toMatchObject({
      source: 'rules',
      depth: 471,
      writtenFor: { alleleFrequency: 29 / 471, depth: 471, genotype: null, filters: [] },
    });
    expect(live.metrics()).toMatchObject({ refreshedByRules: 1, modelReasks: 0 });
  });

  it('should rewrite the rules text while the run goes on, every refreshIntervalMs', async () => {
    const live = await startService({ model: false, tuning: { refreshIntervalMs: 50 } });
    const runId = await createRun();
    await confirm(live, [populationCall(runId, 104, 5, 74)]);
    await waitFor(() => rowsWhere(runId, (rows) => rows[0]?.state === 'DONE'), 10_000, 'the first rules text');

    // The sink stores the call as it moves; the run has not ended.
    await scenario.database.store.upsertVariants([populationCall(runId, 104, 12, 160)]);
    await waitFor(
      () => rowsWhere(runId, (rows) => stored(rows[0])?.writtenFor?.depth === 160),
      10_000,
      'the rules text rewritten mid-run',
    );

    expect(stored((await interpretationsOf(scenario.database, runId))[0])?.summary).toContain('at 7.5 % of 160 reads');
  });

  it('should leave the rules text of a call that moved less than materially as it was written', async () => {
    const live = await startService({ model: false });
    const runId = await createRun();
    await confirm(live, [populationCall(runId, 104, 5, 74)]);
    await waitFor(() => rowsWhere(runId, (rows) => rows[0]?.state === 'DONE'), 10_000, 'the first rules text');

    // 6.8 % of 74 reads to 6.5 % of 108: 0.3 points, 4 % of the frequency, depth not doubled.
    await endRun(live, runId, [populationCall(runId, 104, 7, 108)]);
    await live.refresh();
    await live.stop();

    const [row] = await interpretationsOf(scenario.database, runId);
    expect(stored(row)?.summary).toContain('at 6.8 % of 74 reads');
    expect(live.metrics().refreshedByRules).toBe(0);
  });

  it("should keep the model's text for that move, not ask it again, and rewrite the rules beside it", async () => {
    const live = await startService({ model: true });
    const runId = await createRun();
    await confirm(live, [populationCall(runId, 104, 5, 74)]);
    await waitFor(() => rowsWhere(runId, (rows) => rows.every(byModel)), 15_000, 'the model to answer');
    const [answered] = await interpretationsOf(scenario.database, runId);

    await endRun(live, runId, [populationCall(runId, 104, 29, 471)]);
    await waitFor(
      () => rowsWhere(runId, (rows) => stored(rows[0])?.rules?.writtenFor?.depth === 471),
      10_000,
      'the rules beside the model rewritten',
    );

    const [row] = await interpretationsOf(scenario.database, runId);
    expect(scenario.fake.requests).toHaveLength(1);
    expect(row?.source).toBe(SCENARIO_MODEL);
    expect(stored(row)?.summary).toBe(stored(answered)?.summary);
    // A reader can tell the model spoke of 6.8 % of 74 reads, the rules of the final call.
    expect(stored(row)?.writtenFor).toMatchObject({ alleleFrequency: 5 / 74, depth: 74 });
    expect(stored(row)?.rules?.summary).toContain('subclonal minority variant at 6.2 % of 471 reads');
    expect(live.metrics()).toMatchObject({ refreshedByRules: 1, modelReasks: 0 });
  });

  it('should ask the model again when a call goes from a minority to fixed', async () => {
    const live = await startService({ model: true });
    const runId = await createRun();
    await confirm(live, [populationCall(runId, 104, 20, 400)]);
    await waitFor(() => rowsWhere(runId, (rows) => rows.every(byModel)), 15_000, 'the model to answer');

    await endRun(live, runId, [populationCall(runId, 104, 380, 400)]);
    await waitFor(
      () => rowsWhere(runId, (rows) => byModel(rows[0] as InterpretationRow) && scenario.fake.requests.length === 2),
      15_000,
      'the model to answer again',
    );

    const [row] = await interpretationsOf(scenario.database, runId);
    expect(stored(row)?.writtenFor).toMatchObject({ alleleFrequency: 0.95, depth: 400 });
    expect(stored(row)?.rules?.summary).toContain('fixed variant at 95 %');
    expect(live.metrics()).toMatchObject({ refreshedByRules: 1, modelReasks: 1, modelReasksRefused: 0 });
  });

  it("should ask the model again at most modelReasksPerRun times per run, the others keeping the model's text", async () => {
    const live = await startService({ model: true, tuning: { modelReasksPerRun: 1 } });
    const runId = await createRun();
    await confirm(live, [populationCall(runId, 104, 20, 400), populationCall(runId, 875, 20, 400)]);
    await waitFor(() => rowsWhere(runId, (rows) => rows.length === 2 && rows.every(byModel)), 15_000, 'answers');

    await endRun(live, runId, [populationCall(runId, 104, 380, 400), populationCall(runId, 875, 380, 400)]);
    await waitFor(() => Promise.resolve(scenario.fake.requests.length === 2), 15_000, 'the model to be asked again');
    await waitFor(() => rowsWhere(runId, (rows) => rows.every(byModel)), 15_000, 'the second answer');

    const rows = await interpretationsOf(scenario.database, runId);
    expect(rows.map((row) => stored(row)?.writtenFor?.alleleFrequency).sort()).toEqual([0.05, 0.95]);
    expect(rows.every((row) => stored(row)?.rules?.summary.includes('fixed variant at 95 %'))).toBe(true);
    expect(live.metrics()).toMatchObject({ refreshedByRules: 2, modelReasks: 1, modelReasksRefused: 1 });
  });
});
