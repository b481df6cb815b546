import { describe, expect, it } from 'vitest';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { BASES } from '../annotate/test-genome.js';
import { evenStrands } from '../support/strands.js';
import { annotatedCall } from './support/annotated-genome.js';
import { SCENARIO_MODEL, useAnnotatedScenario } from './support/annotated-scenario.js';
import { interpretationsOf, waitFor } from './support/scenario.js';

const KEY = 'gsk_gene_prompt_key_0000';

const scenario = useAnnotatedScenario(KEY);
const { startService, createRun } = scenario;

/** The missense call R2G in geneA and the missense calls in overlapping geneB and geneC, confirmed. */
function confirmedCalls(runId: string): VariantRecord[] {
  return [
    { position: 104, alt: 'G' },
    { position: 875, alt: 'C' },
  ].map((site) => ({
    ...annotatedCall(scenario.genome, runId, site),
    ...evenStrands(60, 30),
    sample: 'sample',
    genotype: '0/1',
    status: 'CONFIRMED',
    seenAt: new Date(),
  }));
}

const answered = async (runId: string) => {
  const rows = await interpretationsOf(scenario.database, runId);
  return rows.length === 2 && rows.every((row) => row.source === SCENARIO_MODEL && row.state === 'DONE');
};

/** What the model was asked about the variant `id` (`v1`, `v2`…): its lines of the user message. */
function askedAbout(id: string): string {
  const user = scenario.fake.requests[0]?.body.messages.find((message) => message.role === 'user')?.content ?? '';
  const [, lines = ''] = user.split(new RegExp(`^${id}: `, 'm'));
  return lines.split(/^v\d+: /m)[0] ?? '';
}

describe('the model prompt of an annotated call', () => {
  it('should carry gene, locus tag, product, consequence, codons, HGVS and the residues around the change', async () => {
    const live = await startService();
    const runId = await createRun();
    const calls = confirmedCalls(runId);
    await scenario.database.store.upsertVariants(calls);
    for (const call of calls) live.observer.mutationDetected(call);
    await waitFor(() => answered(runId), 15_000, 'the model to answer');

    expect(scenario.fake.requests).toHaveLength(1);
    const missense = askedAbout('v1');
    expect(missense).toContain(`reference: ${BASES.slice(91, 103)}[C>G]${BASES.slice(104, 116)}`);
    expect(missense).toContain(
      'effect: missense_variant (MODERATE), gene geneA, locus tag T_0001, product "geneA protein", ' +
        'codon Cga/Gga, c.4C>G, p.Arg2Gly (R2G), reference protein M[R]RRLLH',
    );
    // Overlapping genes: one effect line each.
    const overlapping = askedAbout('v2')
      .split('\n')
      .filter((line) => line.includes('effect: '));
    expect(overlapping).toEqual([
      expect.stringContaining(
        'gene geneB, locus tag T_0002, product "geneB protein", codon gTg/gGg, c.26T>G, p.Val9Gly (V9G), reference protein TWGRL[V]HRLLL',
      ),
      expect.stringContaining(
        'gene geneC, locus tag T_0003, product "geneC protein", codon cAc/cCc, c.5A>C, p.His2Pro (H2P), reference protein M[H]QPPPR',
      ),
    ]);
    expect(scenario.fake.requests[0]?.body.messages[0]?.content).toContain('name the gene');
  });

  it("should store the model's answer as before, with the rules' gene summary beside it", async () => {
    const live = await startService();
    const runId = await createRun();
    const calls = confirmedCalls(runId);
    await scenario.database.store.upsertVariants(calls);
    for (const call of calls) live.observer.mutationDetected(call);
    await waitFor(() => answered(runId), 15_000, 'the model to answer');

    const [missense] = await interpretationsOf(scenario.database, runId);
    expect(missense?.interpretation).toMatchObject({
      source: SCENARIO_MODEL,
      summary: 'Model interpretation of v1: a plausible germline variant.',
      significance: 'uncertain',
      rules: {
        source: 'rules',
        summary: expect.stringMatching(
          /^Missense variant in geneA \(geneA protein\): p\.Arg2Gly \(R2G\); heterozygous /,
        ),
      },
    });
  });

  it('should read the effects stored with a call it picks up after a restart', async () => {
    const runId = await createRun();
    const calls = confirmedCalls(runId);
    await scenario.database.store.upsertVariants(calls);
    // The effects as the sink stores them, whatever the store wrote of them.
    for (const call of calls) {
      await scenario.database.pool.query(
        'UPDATE variants SET effects = $1::jsonb WHERE run_id = $2 AND position = $3',
        [JSON.stringify(call.effects), runId, call.position],
      );
    }
    await startService();
    await waitFor(() => answered(runId), 15_000, 'the sweep to bring the calls to the model');

    const rows = await interpretationsOf(scenario.database, runId);
    expect(rows.map((row) => row.interpretation?.rules)).toEqual([
      expect.objectContaining({
        summary: expect.stringMatching(/^Missense variant in geneA \(geneA protein\): p\.Arg2Gly/),
      }),
      expect.objectContaining({
        summary: expect.stringMatching(/^Missense variant in geneB .* and missense variant in geneC /),
      }),
    ]);
    expect(askedAbout('v1')).toContain('gene geneA, locus tag T_0001, product "geneA protein"');
    expect(askedAbout('v1')).toContain('p.Arg2Gly (R2G), reference protein M[R]RRLLH');
  });
});
