import { spawnSync } from 'node:child_process';
import { realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Annotation, Reference, simulateToFiles, type VariantEffect } from '@helix/native';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annField, bySeverity } from '../../src/annotate/ann-field.js';
import { concernKeys } from '../../src/concern/keys.js';
import { toGenbank, toGff3 } from '../annotate/genome-files.js';
import { requireBcftools } from '../annotate/peer-tools.js';
import type { TestGene } from '../annotate/retranslate.js';
import { postGraphQL, queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';
import { type Delivered, type EventLog, sleep, subscribeWs, wsClient } from './support.js';

/** Genes over most of the simulated reference (random bases: their CDS carry stops, read as warnings). */
const GENES: TestGene[] = [
  { name: 'geneA', locusTag: 'R_0001', strand: '+', segments: [[1_001, 7_000]] },
  { name: 'geneB', locusTag: 'R_0002', strand: '-', segments: [[8_001, 14_000]] },
  { name: 'geneC', locusTag: 'R_0003', strand: '+', segments: [[15_001, 19_500]] },
];

const START = `mutation ($reference: String!, $reads: [String!]!, $annotation: String, $code: Int) {
  startPipeline(input: { source: FASTQ, referencePath: $reference, readsPaths: $reads, annotationPath: $annotation,
    geneticCode: $code, readsPerSecond: 20000, batchSize: 500, workers: 1 })
  { __typename ... on Run { id } ... on InvalidInputError { message field } } }`;

const EFFECT_FIELDS = 'gene locusTag product consequence impact codonChange aminoAcidChange hgvsC hgvsP';

const ALARMS = `subscription { mutationDetected { id contig position ref alt effects { ${EFFECT_FIELDS} } } }`;

const COUNT = `query ($filter: VariantFilter) { variants(filter: $filter, first: 100) {
  totalCount edges { node { id contig position ref alt effects { ${EFFECT_FIELDS} } } } } }`;

interface EffectView {
  gene: string | null;
  consequence: string;
  aminoAcidChange: string | null;
}

interface VariantView {
  id: string;
  contig: string;
  position: number;
  ref: string;
  alt: string;
  effects: EffectView[];
}

interface StoredVariant {
  contig: string;
  position: number;
  ref: string;
  alt: string;
  status: string;
  effects: VariantEffect[];
  genes: string[];
  consequences: string[];
  protein_changes: string[];
}

/** An effect as GraphQL shows it: the API's fields, null where the annotator gave none. */
function shown(effect: VariantEffect): Record<string, string | null> {
  const fields = EFFECT_FIELDS.split(' ') as (keyof VariantEffect)[];
  return Object.fromEntries(fields.map((field) => [field, (effect[field] as string | undefined) ?? null]));
}

describe('a live FASTQ run with an annotation', () => {
  let api: TestServer;
  let client: Client;
  let alarms: { log: EventLog<Delivered<{ mutationDetected: VariantView }>>; stop: () => void };
  let annotation: Annotation;
  let runId: string;
  let stored: StoredVariant[];
  const start = (variables: Record<string, unknown>) =>
    queryData<{ startPipeline: { __typename: string; id?: string; message?: string; field?: string } }>(
      api.url,
      START,
      { key: testKeys.operator, variables: { reference: 'ref.fa', reads: ['reads.fq'], ...variables } },
    );
  const variants = (filter: Record<string, unknown>) =>
    queryData<{ variants: { totalCount: number; edges: { node: VariantView }[] } }>(api.url, COUNT, {
      variables: { filter: { runId, status: 'CONFIRMED', ...filter } },
    });
  const confirmed = () => stored.filter((variant) => variant.status === 'CONFIRMED');

  beforeAll(async () => {
    api = await startTestServer();
    await simulateToFiles({
      referenceLength: 20_000,
      referenceOut: join(api.inputDir, 'ref.fa'),
      reads: 4_000,
      readLength: 150,
      out: join(api.inputDir, 'reads.fq'),
      mutationRate: 0.003,
      indelFraction: 0.15,
      errorRate: 0.001,
      seed: 23,
    });
    const reference = await Reference.loadFasta(join(api.inputDir, 'ref.fa'));
    const contig = reference.contigs[0]?.name ?? 'random';
    const bases = reference.sequence(0).toString('latin1');
    await writeFile(join(api.inputDir, 'genes.gff3'), toGff3(contig, bases, GENES));
    await writeFile(join(api.inputDir, 'ref.gbk'), toGenbank(contig, bases, GENES));
    await writeFile(join(api.inputDir, 'wrong.gff3'), '##gff-version 3\nchrZ\tRefSeq\tgene\t1\t90\t.\t+\t.\tID=g1\n');
    annotation = await Annotation.load(join(api.inputDir, 'genes.gff3'), [
      { name: contig, sequence: reference.sequence(0) },
    ]);

    client = wsClient(api);
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    alarms = subscribeWs(client, ALARMS);
    await connected;
    await sleep(200);
    const data = await start({ annotation: 'genes.gff3' });
    expect(data.startPipeline.__typename).toBe('Run');
    runId = data.startPipeline.id as string;
    await waitFor(
      async () =>
        (
          await queryData<{ run: { finished: boolean } }>(api.url, 'query ($id: ID!) { run(id: $id) { finished } }', {
            variables: { id: runId },
          })
        ).run.finished,
      60_000,
      'the run to finish',
    );
    ({ rows: stored } = await api.database.pool.query<StoredVariant>(
      `SELECT contig, position, ref, alt, status, effects, genes, consequences, protein_changes
       FROM variants WHERE run_id = $1 ORDER BY position, ref, alt`,
      [runId],
    ));
  }, 90_000);

  afterAll(async () => {
    alarms?.stop();
    await client?.dispose();
    await api?.close();
  });

  it('should keep the annotation path in the run', async () => {
    const { rows } = await api.database.pool.query<{ config: { annotationPath?: string } }>(
      'SELECT config FROM runs WHERE id = $1',
      [runId],
    );
    expect(rows[0]?.config.annotationPath).toBe(join(await realpath(api.inputDir), 'genes.gff3'));
  });

  it("should store every confirmed call with the native annotator's effects for its site", () => {
    expect(confirmed().length).toBeGreaterThan(20);
    for (const variant of confirmed()) {
      const expected = bySeverity(annotation.annotate(variant.contig, variant.position, variant.ref, variant.alt));
      expect(variant.effects, `${variant.position} ${variant.ref}>${variant.alt}`).toEqual(
        JSON.parse(JSON.stringify(expected)),
      );
      expect(variant.genes).toEqual([...new Set(expected.flatMap((effect) => effect.gene ?? []))]);
      expect(variant.consequences).toEqual([...new Set(expected.map((effect) => effect.consequence))]);
      expect(variant.protein_changes).toEqual(concernKeys({ ...variant, effects: expected }));
    }
    const consequences = new Set(confirmed().flatMap((variant) => variant.consequences));
    expect(consequences.has('INTERGENIC')).toBe(true);
    expect([...consequences].some((name) => ['MISSENSE', 'SYNONYMOUS', 'STOP_GAINED'].includes(name))).toBe(true);
  });

  it('should announce each confirmed call over graphql-ws with the effects it is stored with', async () => {
    await alarms.log.waitFor(() => alarms.log.events.length >= confirmed().length, 15_000);
    const byId = new Map(
      alarms.log.events.map((event) => [event.data?.mutationDetected.id, event.data?.mutationDetected]),
    );
    const { variants: page } = await variants({});
    expect(page.edges.length).toBeGreaterThan(0);
    for (const { node } of page.edges) {
      const alarm = byId.get(node.id);
      expect(alarm, `an alarm for ${node.position}`).toBeDefined();
      expect(alarm?.effects).toEqual(node.effects);
      expect(node.effects.length).toBeGreaterThan(0);
    }
  });

  it('should serve Variant.effects as the annotator gave them, most severe first', async () => {
    const { variants: page } = await variants({});
    for (const { node } of page.edges) {
      const expected = bySeverity(annotation.annotate(node.contig, node.position, node.ref, node.alt));
      expect(node.effects).toEqual(expected.map(shown));
    }
  });

  it('should filter by genes and consequences with the right totalCount, also when asked again', async () => {
    const inGene = (variant: StoredVariant, genes: string[]) => variant.genes.some((gene) => genes.includes(gene));
    const withConsequence = (variant: StoredVariant, names: string[]) =>
      variant.consequences.some((name) => names.includes(name));
    const cases: [Record<string, unknown>, (variant: StoredVariant) => boolean][] = [
      [{ genes: ['geneA'] }, (v) => inGene(v, ['geneA'])],
      [{ genes: ['geneA', 'geneC'] }, (v) => inGene(v, ['geneA', 'geneC'])],
      [{ consequences: ['INTERGENIC'] }, (v) => withConsequence(v, ['INTERGENIC'])],
      [{ consequences: ['MISSENSE', 'STOP_GAINED'] }, (v) => withConsequence(v, ['MISSENSE', 'STOP_GAINED'])],
      [
        { genes: ['geneB'], consequences: ['MISSENSE'] },
        (v) => v.effects.some((effect) => effect.gene === 'geneB') && withConsequence(v, ['MISSENSE']),
      ],
    ];
    for (const [filter, matches] of cases) {
      const expected = confirmed().filter(matches).length;
      for (let asked = 0; asked < 2; asked++) {
        const { variants: page } = await variants(filter);
        expect(page.totalCount, JSON.stringify(filter)).toBe(expected);
        expect(page.edges).toHaveLength(Math.min(100, expected));
      }
    }
    expect(confirmed().filter((v) => inGene(v, ['geneA'])).length).toBeGreaterThan(0);
  });

  it('should list only calls matching the mutations of concern, counting afresh when the list changes', async () => {
    const coding = confirmed().filter((variant) => variant.effects.some((effect) => effect.aminoAcidChange));
    expect(coding.length).toBeGreaterThan(1);
    const keyOf = (variant: StoredVariant) => {
      const effect = variant.effects.find((candidate) => candidate.aminoAcidChange) as VariantEffect;
      return { gene: effect.gene as string, change: effect.aminoAcidChange as string };
    };
    const listed: { gene: string; change: string }[] = [];
    const concernCount = async () => (await variants({ mutationsOfConcernOnly: true })).variants.totalCount;
    expect(await concernCount()).toBe(0);
    for (const variant of coding.slice(0, 2)) {
      const key = keyOf(variant);
      await api.database.pool.query(
        `INSERT INTO mutations_of_concern (id, gene, amino_acid_change) VALUES (gen_random_uuid(), $1, $2)
         ON CONFLICT DO NOTHING`,
        [key.gene, key.change],
      );
      listed.push(key);
      const expected = confirmed().filter((candidate) =>
        listed.some((entry) => candidate.protein_changes.includes(`${entry.gene}:${entry.change}`)),
      ).length;
      expect(await concernCount()).toBe(expected);
    }
  });

  it('should refuse more than 100 genes in a filter, naming the field', async () => {
    const { body } = await postGraphQL(api.url, COUNT, {
      key: testKeys.viewer,
      variables: { filter: { runId, genes: Array.from({ length: 101 }, (_, i) => `g${i}`) } },
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.genes' });
  });

  it("should export the run's VCF with INFO/ANN for every annotated call, as helix analyze writes it, that bcftools reads", async () => {
    const response = await fetch(`${api.origin}/runs/${runId}/variants.vcf`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    expect(response.status).toBe(200);
    const vcf = await response.text();
    expect(vcf).toContain('##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: \'Allele |');
    const records = vcf.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(records).toHaveLength(confirmed().length);
    for (const record of records) {
      const [contig, position, , ref, alt, , , info] = record.split('\t');
      const variant = confirmed().find(
        (candidate) =>
          candidate.contig === contig &&
          candidate.position === Number(position) &&
          candidate.ref === ref &&
          candidate.alt === alt,
      ) as StoredVariant;
      expect(/(?:^|;)ANN=([^;]+)/.exec(info ?? '')?.[1]).toBe(annField(variant.alt, variant.effects));
    }
    requireBcftools();
    const file = join(api.inputDir, 'run.vcf');
    await writeFile(file, vcf);
    const view = spawnSync('bcftools', ['query', '-f', '%POS\t%INFO/ANN\n', file], { encoding: 'utf8' });
    expect(view.status, view.stderr).toBe(0);
    expect(view.stdout.trim().split('\n')).toHaveLength(records.length);
  });

  describe('started with a bad annotation', () => {
    const runs = async () =>
      (await api.database.pool.query<{ id: string; status: string }>('SELECT id, status FROM runs')).rows;

    it.each([
      [
        'a contig the reference lacks',
        { annotation: 'wrong.gff3' },
        'annotationPath',
        /wrong\.gff3: line 2: contig chrZ/,
      ],
      ['a file outside the input directory', { annotation: '../genes.gff3' }, 'annotationPath', /annotationPath/],
      ['a missing file', { annotation: 'none.gff3' }, 'annotationPath', /none\.gff3/],
      ['a genetic code without genes', { code: 11 }, 'geneticCode', /geneticCode needs an annotation/],
      ['a genetic code NCBI lacks', { annotation: 'genes.gff3', code: 7 }, 'geneticCode', /7 is not an NCBI table/],
    ])(
      'should refuse %s with InvalidInputError naming the field, leaving no run row behind',
      async (_case, variables, field, message) => {
        const { startPipeline } = await start(variables);
        expect(startPipeline).toMatchObject({ __typename: 'InvalidInputError', field });
        expect(startPipeline.message).toMatch(message);
        expect(api.pipeline.state).toBe('IDLE');
        // Refused before its row is written: only the annotated run above is stored.
        expect(await runs()).toEqual([{ id: runId, status: 'COMPLETED' }]);
      },
    );
  });
  it("should annotate a run whose reference is GenBank with the file's own genes", async () => {
    const { startPipeline } = await start({ reference: 'ref.gbk' });
    expect(startPipeline.__typename).toBe('Run');
    const genbankRun = startPipeline.id as string;
    await waitFor(
      async () =>
        (
          await queryData<{ run: { finished: boolean } }>(api.url, 'query ($id: ID!) { run(id: $id) { finished } }', {
            variables: { id: genbankRun },
          })
        ).run.finished,
      60_000,
      'the GenBank run to finish',
    );
    const { rows } = await api.database.pool.query<StoredVariant>(
      `SELECT contig, position, ref, alt, effects FROM variants WHERE run_id = $1 AND status = 'CONFIRMED'`,
      [genbankRun],
    );
    expect(rows.length).toBeGreaterThan(20);
    const summary = (effects: VariantEffect[]) =>
      effects.map((effect) => `${effect.gene} ${effect.consequence} ${effect.aminoAcidChange ?? ''}`);
    for (const variant of rows) {
      const expected = bySeverity(annotation.annotate(variant.contig, variant.position, variant.ref, variant.alt));
      expect(summary(variant.effects), `${variant.position}`).toEqual(summary(expected));
    }
  });
});
