import { join } from 'node:path';
import { simulateToFiles } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';

const REFERENCE_LENGTH = 50_000;
const READ_LENGTH = 100;
const READS = 5_000;
/** Depth counts a read only 3 bases inside each end of its alignment (the pileup's SNV margin). */
const COUNTED_BASES = READ_LENGTH - 2 * 3;

const START = `mutation ($reference: String!, $reads: [String!]!) { startPipeline(input: {
  source: FASTQ, referencePath: $reference, readsPaths: $reads, readsPerSecond: 0, batchSize: 500, workers: 1 })
  { __typename ... on Run { id } ... on Error { message } } }`;

const SAMPLES = `query ($run: ID!) { run(id: $run) { finished variantsConfirmed
  samples { name readsAnalysed mappedReads properlyPairedReads meanDepth breadth10x variantsConfirmed } } }`;

interface RunSamples {
  run: {
    finished: boolean;
    variantsConfirmed: number;
    samples: {
      name: string;
      readsAnalysed: number;
      mappedReads: number;
      properlyPairedReads: number;
      meanDepth: number;
      breadth10x: number;
      variantsConfirmed: number;
    }[];
  };
}

/** The value of an unlabelled Prometheus sample, or undefined when it is not exported. */
function sample(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Starts a FASTQ run of `reads` against `ref.fa` and waits for it to finish; its id. */
async function analyse(api: TestServer, reads: string[]): Promise<string> {
  const data = await queryData<{ startPipeline: { __typename: string; id?: string; message?: string } }>(
    api.url,
    START,
    { key: testKeys.operator, variables: { reference: 'ref.fa', reads } },
  );
  expect(data.startPipeline).toMatchObject({ __typename: 'Run' });
  const runId = data.startPipeline.id as string;
  await waitFor(
    async () => (await queryData<RunSamples>(api.url, SAMPLES, { variables: { run: runId } })).run.finished,
    30_000,
    'the run to finish',
  );
  return runId;
}

describe('a FASTQ run reports its sample over HTTP', () => {
  let api: TestServer;
  let runId: string;

  beforeAll(async () => {
    api = await startTestServer();
    // Error-free reads of the reference itself: every read maps, over its whole length.
    await simulateToFiles({
      referenceLength: REFERENCE_LENGTH,
      referenceOut: join(api.inputDir, 'ref.fa'),
      reads: READS,
      readLength: READ_LENGTH,
      out: join(api.inputDir, 'ecoli_S1_L001_R1_001.fastq.gz'),
      mutationRate: 0,
      errorRate: 0,
      seed: 31,
    });
    runId = await analyse(api, ['ecoli_S1_L001_R1_001.fastq.gz']);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should list one sample named after the reads file, with every read mapped and its depth', async () => {
    const { run } = await queryData<RunSamples>(api.url, SAMPLES, { variables: { run: runId } });
    expect(run.samples).toHaveLength(1);
    const [only] = run.samples;
    expect(only).toMatchObject({
      name: 'ecoli_S1_L001',
      readsAnalysed: READS,
      mappedReads: READS,
      properlyPairedReads: 0,
      variantsConfirmed: run.variantsConfirmed,
    });
    expect(only?.meanDepth).toBeCloseTo((READS * COUNTED_BASES) / REFERENCE_LENGTH, 1);
    expect(only?.breadth10x).toBeGreaterThan(0);
    expect(only?.breadth10x).toBeLessThan(1);
  });

  it("should name the downloaded VCF's sample column after the run's sample", async () => {
    const response = await fetch(`${api.origin}/runs/${runId}/variants.vcf`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    expect(response.status).toBe(200);
    const header = (await response.text()).split('\n').find((line) => line.startsWith('#CHROM'));
    expect(header?.split('\t').at(-1)).toBe('ecoli_S1_L001');
  });

  it('should export the run’s mapped reads, mean depth and breadth on /metrics', async () => {
    let exposition = '';
    await waitFor(
      async () => {
        exposition = await (await fetch(`${api.origin}/metrics`)).text();
        return (sample(exposition, 'helix_reads_mapped_total') ?? 0) >= READS;
      },
      10_000,
      'helix_reads_mapped_total to count every read',
    );
    expect(sample(exposition, 'helix_reads_mapped_total')).toBe(READS);
    expect(sample(exposition, 'helix_reads_mapped_ratio')).toBe(1);
    expect(sample(exposition, 'helix_reads_properly_paired_ratio')).toBe(0);
    expect(sample(exposition, 'helix_mean_depth')).toBeCloseTo((READS * COUNTED_BASES) / REFERENCE_LENGTH, 1);
    expect(sample(exposition, 'helix_breadth_1x_ratio')).toBeGreaterThan(0.99);
    expect(sample(exposition, 'helix_breadth_10x_ratio')).toBeGreaterThan(0);
  });
});

describe('a paired FASTQ run reports its proper pairs over HTTP', () => {
  let api: TestServer;
  let runId: string;

  beforeAll(async () => {
    api = await startTestServer();
    // Error-free pairs of the reference itself, 300-base fragments: every mate maps, facing its mate.
    await simulateToFiles({
      referenceLength: REFERENCE_LENGTH,
      referenceOut: join(api.inputDir, 'ref.fa'),
      reads: READS,
      readLength: READ_LENGTH,
      insertMean: 300,
      insertSd: 20,
      out: join(api.inputDir, 'pairs_R1.fastq.gz'),
      out2: join(api.inputDir, 'pairs_R2.fastq.gz'),
      mutationRate: 0,
      errorRate: 0,
      seed: 32,
    });
    runId = await analyse(api, ['pairs_R1.fastq.gz', 'pairs_R2.fastq.gz']);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should count nearly every mate as properly paired in the run’s sample', async () => {
    const { run } = await queryData<RunSamples>(api.url, SAMPLES, { variables: { run: runId } });
    const [only] = run.samples;
    // `reads` pairs were written: two mates each.
    expect(only?.readsAnalysed).toBe(2 * READS);
    expect(only?.properlyPairedReads).toBeGreaterThan(2 * READS * 0.95);
    expect(only?.properlyPairedReads).toBeLessThanOrEqual(only?.mappedReads ?? 0);
  });

  it('should export the fraction of reads in proper pairs on /metrics', async () => {
    const exposition = await (await fetch(`${api.origin}/metrics`)).text();
    expect(sample(exposition, 'helix_reads_properly_paired_ratio')).toBeGreaterThan(0.95);
  });
});
