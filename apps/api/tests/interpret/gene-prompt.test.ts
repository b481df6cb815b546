import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInterpretationService, type InterpretationService } from '../../src/interpret/service.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { BASES } from '../annotate/test-genome.js';
import { evenStrands } from '../support/strands.js';
import { type AnnotatedGenome, annotatedCall, annotatedGenome, CONTIG } from './support/annotated-genome.js';
import { type FakeGroq, startFakeGroq } from './support/fake-groq.js';
import {
  capturingLogger,
  interpretationsOf,
  openTestDatabase,
  type TestDatabase,
  waitFor,
} from './support/scenario.js';

const MODEL = 'llama-3.3-70b-versatile';
const KEY = 'gsk_gene_prompt_key_0000';

let genome: AnnotatedGenome;
let database: TestDatabase;
let fake: FakeGroq;
let service: InterpretationService | undefined;

beforeAll(async () => {
  genome = await annotatedGenome();
});

afterAll(async () => {
  await genome.remove();
});

beforeEach(async () => {
  database = await openTestDatabase();
  fake = await startFakeGroq({ apiKey: KEY });
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await fake.close();
  await database.close();
});

async function startService(): Promise<InterpretationService> {
  service = createInterpretationService({
    pool: database.pool,
    logger: capturingLogger().logger,
    config: { groq: { apiKey: KEY, baseUrl: fake.baseUrl, model: MODEL } },
    tuning: { rulesFlushMs: 20, batchLingerMs: 30, sweepIntervalMs: 60_000, maxRetries: 0, timeoutMs: 2_000 },
  });
  await service.start();
  return service;
}

/** A run over the annotated genome, whose reference the interpreter rebuilds from its FASTA. */
function createRun(): Promise<string> {
  return database.store.createRun({
    source: 'FASTQ',
    config: { source: 'FASTQ', referencePath: genome.fastaPath },
    referenceName: CONTIG,
    referenceLength: BASES.length,
    contigs: [{ name: CONTIG, length: BASES.length }],
  });
}

/** The missense call R2G in geneA and the missense calls in overlapping geneB and geneC, confirmed. */
function confirmedCalls(runId: string): VariantRecord[] {
  return [
    { position: 104, alt: 'G' },
    { position: 875, alt: 'C' },
  ].map((site) => ({
    ...annotatedCall(genome, runId, site),
    ...evenStrands(60, 30),
    sample: 'sample',
    genotype: '0/1',
    status: 'CONFIRMED',
    seenAt: new Date(),
  }));
}

const answered = async (runId: string) => {
  const rows = await interpretationsOf(database, runId);
  return rows.length === 2 && rows.every((row) => row.source === MODEL && row.state === 'DONE');
};

/** What the model was asked about the variant `id` (`v1`, `v2`…): its lines of the user message. */
function askedAbout(id: string): string {
  const user = fake.requests[0]?.body.messages.find((message) => message.role === 'user')?.content ?? '';
  const [, lines = ''] = user.split(new RegExp(`^${id}: `, 'm'));
  return lines.split(/^v\d+: /m)[0] ?? '';
}

describe('the model prompt of an annotated call', () => {
  it('should carry gene, locus tag, product, consequence, codons, HGVS and the residues around the change', async () => {
    const live = await startService();
    const runId = await createRun();
    const calls = confirmedCalls(runId);
    await database.store.upsertVariants(calls);
    for (const call of calls) live.observer.mutationDetected(call);
    await waitFor(() => answered(runId), 15_000, 'the model to answer');

    expect(fake.requests).toHaveLength(1);
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
    expect(fake.requests[0]?.body.messages[0]?.content).toContain('name the gene');
  });

  it("should store the model's answer as before, with the rules' gene summary beside it", async () => {
    const live = await startService();
    const runId = await createRun();
    const calls = confirmedCalls(runId);
    await database.store.upsertVariants(calls);
    for (const call of calls) live.observer.mutationDetected(call);
    await waitFor(() => answered(runId), 15_000, 'the model to answer');

    const [missense] = await interpretationsOf(database, runId);
    expect(missense?.interpretation).toMatchObject({
      source: MODEL,
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
    await database.store.upsertVariants(calls);
    // The effects as the sink stores them, whatever the store wrote of them.
    for (const call of calls) {
      await database.pool.query('UPDATE variants SET effects = $1::jsonb WHERE run_id = $2 AND position = $3', [
        JSON.stringify(call.effects),
        runId,
        call.position,
      ]);
    }
    await startService();
    await waitFor(() => answered(runId), 15_000, 'the sweep to bring the calls to the model');

    const rows = await interpretationsOf(database, runId);
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
