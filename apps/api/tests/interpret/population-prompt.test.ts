import { describe, expect, it } from 'vitest';
import { POPULATION_SAMPLE } from '../../src/interpret/prompt.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { annotatedCall } from './support/annotated-genome.js';
import { SCENARIO_MODEL, useAnnotatedScenario } from './support/annotated-scenario.js';
import { interpretationsOf, waitFor } from './support/scenario.js';

const KEY = 'gsk_population_prompt_key_0';

const scenario = useAnnotatedScenario(KEY);
const { startService, createRun } = scenario;

/**
 * Two population calls in geneA: R2G at 5 % (11 forward / 9 reverse of 400 reads, passing) and a
 * 4 % one whose alternate reads are all forward (flagged StrandBias).
 */
function populationCalls(runId: string): VariantRecord[] {
  const call = (position: number, alt: string, strands: { forwardAlt: number; reverseAlt: number }) => {
    const altCount = strands.forwardAlt + strands.reverseAlt;
    const base = annotatedCall(
      scenario.genome,
      runId,
      { position, alt },
      { depth: 400, alleleFrequency: altCount / 400 },
    );
    return {
      ...base,
      altCount,
      sample: 'sample',
      genotype: null,
      forwardAltCount: strands.forwardAlt,
      reverseAltCount: strands.reverseAlt,
      forwardRefCount: 190,
      reverseRefCount: 400 - altCount - 190,
      strandBias: strands.reverseAlt === 0 ? 38.2 : 0.3,
      filters: strands.reverseAlt === 0 ? ['StrandBias'] : [],
      alleleFrequencyHistory: [],
      status: 'CONFIRMED' as const,
      seenAt: new Date(),
    };
  };
  return [call(104, 'G', { forwardAlt: 11, reverseAlt: 9 }), call(875, 'C', { forwardAlt: 16, reverseAlt: 0 })];
}

const answered = async (runId: string) => {
  const rows = await interpretationsOf(scenario.database, runId);
  return rows.length === 2 && rows.every((row) => row.source === SCENARIO_MODEL && row.state === 'DONE');
};

const userMessage = () =>
  scenario.fake.requests[0]?.body.messages.find((message) => message.role === 'user')?.content ?? '';

/** What the model was asked about the variant `id` (`v1`, `v2`…): its lines of the user message. */
function askedAbout(id: string): string {
  const [, lines = ''] = userMessage().split(new RegExp(`^${id}: `, 'm'));
  return lines.split(/^v\d+: /m)[0] ?? '';
}

describe('the model prompt of population calls', () => {
  it('should say the sample is a population and give each call its share, reads per strand, strand bias and filters', async () => {
    const live = await startService();
    const runId = await createRun();
    const calls = populationCalls(runId);
    await scenario.database.store.upsertVariants(calls);
    for (const call of calls) live.observer.mutationDetected(call);
    await waitFor(() => answered(runId), 15_000, 'the model to answer');

    expect(scenario.fake.requests).toHaveLength(1);
    expect(userMessage().startsWith(POPULATION_SAMPLE)).toBe(true);
    expect(askedAbout('v1')).toContain(
      'facts: snv, transversion, CpG, population call, minority variant, AF 0.05, depth 400, Q60 (high), ' +
        'alt reads 11 forward / 9 reverse, ref reads 190 forward / 190 reverse, strand bias SB 0 (Phred), filters PASS',
    );
    expect(askedAbout('v2')).toContain('alt reads 16 forward / 0 reverse');
    expect(askedAbout('v2')).toContain('strand bias SB 38 (Phred), filters StrandBias');
    expect(userMessage()).not.toMatch(/homozygous|heterozygous|haploid/);
    expect(scenario.fake.requests[0]?.body.messages[0]?.content).toContain('never as homozygous or heterozygous');
  });

  it("should store the rules' minority-variant summary beside the model's answer", async () => {
    const live = await startService();
    const runId = await createRun();
    const calls = populationCalls(runId);
    await scenario.database.store.upsertVariants(calls);
    for (const call of calls) live.observer.mutationDetected(call);
    await waitFor(() => answered(runId), 15_000, 'the model to answer');

    const rows = await interpretationsOf(scenario.database, runId);
    expect(rows.map((row) => row.interpretation?.rules)).toEqual([
      expect.objectContaining({
        summary: expect.stringContaining(
          'subclonal minority variant at 5.0 % of 400 reads (11 forward / 9 reverse reads), high quality (Q60); passing every filter.',
        ),
        zygosity: null,
      }),
      expect.objectContaining({
        summary: expect.stringContaining(
          '(16 forward / 0 reverse reads), high quality (Q60); flagged StrandBias: the alternate reads are nearly all on one strand.',
        ),
      }),
    ]);
  });

  it('should give a call it picks up after a restart its strands and filters from the database', async () => {
    const runId = await createRun();
    await scenario.database.store.upsertVariants(populationCalls(runId));
    await startService();
    await waitFor(() => answered(runId), 15_000, 'the sweep to bring the calls to the model');

    expect(askedAbout('v1')).toContain('alt reads 11 forward / 9 reverse, ref reads 190 forward / 190 reverse');
    expect(askedAbout('v2')).toContain('filters StrandBias');
  });
});
