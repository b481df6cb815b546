import { Reference } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coverage as CoverageView } from '../../src/genome/coverage.js';
import { postGraphQL, queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';

const LENGTH = 50_000;
/** max(1, ceil(50000 / 20000)) */
const STORED_BIN_SIZE = 3;
const STORED_BINS = Math.ceil(LENGTH / STORED_BIN_SIZE);
const storedDepth = (bin: number) => (bin % 7) + 0.5;
const storedMax = (bin: number) => (bin % 7) + 2;
const LOW_DEPTH = [1, 4, 100, 250, 49_990, 50_000];

const COVERAGE = `query ($run: ID!, $contig: String!, $from: Int!, $to: Int!, $bins: Int!) {
  coverage(runId: $run, sample: "barcode01", contig: $contig, from: $from, to: $to, bins: $bins) {
    contig from to binSize depths maxDepths } }`;

/** The coverage a response holds (null when it holds none). */
const servedCoverage = (body: { data?: unknown }) =>
  (body.data as { coverage: CoverageView | null } | undefined)?.coverage;

describe('genome queries over stored runs, and their bounds', () => {
  let api: TestServer;
  let storedRun: string;
  let simulatedRun: string;
  const coverage = (variables: Record<string, unknown>) =>
    postGraphQL(api.url, COVERAGE, {
      key: testKeys.viewer,
      variables: { run: storedRun, contig: 'chrA', from: 1, to: LENGTH, bins: 500, ...variables },
    });
  const refusal = async (query: string, variables: Record<string, unknown>) => {
    const { body } = await postGraphQL(api.url, query, { key: testKeys.viewer, variables });
    return body.errors?.[0]?.extensions;
  };

  beforeAll(async () => {
    api = await startTestServer();
    const { pool } = api.database;
    const insertRun = async (config: Record<string, unknown>, contigs: { name: string; length: number }[]) =>
      (
        await pool.query<{ id: string }>(
          `INSERT INTO runs (id, source, config, reference_name, reference_length, contigs, status)
           VALUES (gen_random_uuid(), 'SIMULATED', $1, $2, $3, $4, 'COMPLETED') RETURNING id`,
          [
            JSON.stringify(config),
            contigs.length === 1 ? contigs[0]?.name : `${contigs.length} contigs`,
            contigs.reduce((sum, contig) => sum + contig.length, 0),
            JSON.stringify(contigs),
          ],
        )
      ).rows[0]?.id as string;
    storedRun = await insertRun({ minDepth: 5 }, [
      { name: 'chrA', length: LENGTH },
      { name: 'chrB', length: 1_000 },
    ]);
    simulatedRun = await insertRun({ referenceLength: 6_000, seed: 7 }, [{ name: 'random', length: 6_000 }]);
    await pool.query(
      `INSERT INTO run_samples (run_id, name, mean_depth, breadth_1x, breadth_10x, breadth_100x)
       VALUES ($1, 'barcode01', 3.5, 0.99, 0.4, 0.05)`,
      [storedRun],
    );
    const bins = Array.from({ length: STORED_BINS }, (_, bin) => bin);
    await pool.query(
      `INSERT INTO sample_coverage (run_id, sample, contig, bin_size, depths, max_depths, low_depth, min_depth)
       VALUES ($1, 'barcode01', 'chrA', $2, $3, $4, $5, 5)`,
      [storedRun, STORED_BIN_SIZE, bins.map(storedDepth), bins.map(storedMax), LOW_DEPTH],
    );
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should re-bin stored coverage, each bin the mean of the stored depths under its bases', async () => {
    const { body } = await coverage({ from: 101, to: 10_100, bins: 1000 });
    const served = servedCoverage(body) as CoverageView;
    expect(served).toMatchObject({ contig: 'chrA', from: 101, to: 10_100, binSize: 10 });
    expect(served.depths).toHaveLength(1000);
    served.depths.forEach((depth, index) => {
      const bases = Array.from({ length: 10 }, (_, offset) => 101 + index * 10 + offset);
      const bins = bases.map((position) => Math.floor((position - 1) / STORED_BIN_SIZE));
      expect(depth).toBeCloseTo(bins.reduce((sum, bin) => sum + storedDepth(bin), 0) / bases.length, 4);
      expect(served.maxDepths[index]).toBe(Math.max(...bins.map(storedMax)));
    });
  });

  it('should never serve stored coverage finer than it was stored', async () => {
    const { body } = await coverage({ from: 1, to: 30, bins: 30 });
    expect(servedCoverage(body)).toMatchObject({
      binSize: STORED_BIN_SIZE,
      depths: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 0.5, 1.5, 2.5],
    });
  });

  it("should list the sample's stored low-coverage stretches and breadths", async () => {
    const data = await queryData<{
      run: {
        contigs: { name: string; length: number }[];
        samples: { breadth1x: number; breadth100x: number; first: unknown[]; two: unknown[] }[];
      };
    }>(
      api.url,
      `query ($run: ID!) { run(id: $run) { contigs { name length } samples { breadth1x breadth100x
        first: lowCoverageRegions { contig from to } two: lowCoverageRegions(first: 2) { from to } } } }`,
      { variables: { run: storedRun } },
    );
    expect(data.run.contigs).toEqual([
      { name: 'chrA', length: LENGTH },
      { name: 'chrB', length: 1_000 },
    ]);
    const [sample] = data.run.samples;
    expect(sample).toMatchObject({ breadth1x: 0.99, breadth100x: 0.05 });
    expect(sample?.first).toEqual([
      { contig: 'chrA', from: 1, to: 4 },
      { contig: 'chrA', from: 100, to: 250 },
      { contig: 'chrA', from: 49_990, to: 50_000 },
    ]);
    expect(sample?.two).toEqual([
      { from: 1, to: 4 },
      { from: 100, to: 250 },
    ]);
  });

  it('should answer null where nothing is stored: an unknown run, a contig or sample without coverage', async () => {
    expect(servedCoverage((await coverage({ run: crypto.randomUUID() })).body)).toBeNull();
    expect(servedCoverage((await coverage({ run: 'not-a-run' })).body)).toBeNull();
    expect(servedCoverage((await coverage({ contig: 'chrB', to: 1_000 })).body)).toBeNull();
  });

  it.each([
    ['bins of 0', { bins: 0 }, 'bins'],
    ['more than 5,000 bins', { bins: 5_001 }, 'bins'],
    ['a position before the contig', { from: 0 }, 'from'],
    ['a position past the contig', { to: LENGTH + 1 }, 'to'],
    ['to before from', { from: 200, to: 100 }, 'to'],
    ['a contig the reference lacks', { contig: 'chrZ' }, 'contig'],
  ])('should refuse coverage over %s, naming the argument', async (_what, variables, field) => {
    const { body } = await coverage(variables);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(body.errors?.[0]?.message).toContain(field);
  });

  it('should refuse more than 10,000 reference bases and a list of no low-coverage regions, naming the argument', async () => {
    const bases = 'query ($run: ID!, $to: Int!) { referenceBases(runId: $run, contig: "chrA", from: 1, to: $to) }';
    expect(await refusal(bases, { run: storedRun, to: 10_001 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const regions = 'query ($run: ID!) { run(id: $run) { samples { lowCoverageRegions(first: 0) { from } } } }';
    expect(await refusal(regions, { run: storedRun })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it("should rebuild a finished simulated run's reference for its bases", async () => {
    const data = await queryData<{ referenceBases: string | null; genomeFeatures: unknown[] }>(
      api.url,
      `query ($run: ID!) { referenceBases(runId: $run, contig: "random", from: 1001, to: 5000)
        genomeFeatures(runId: $run, contig: "random", from: 1, to: 6000) { gene } }`,
      { variables: { run: simulatedRun } },
    );
    expect(data.referenceBases).toBe(Reference.random(6_000, 7).sequence(0).toString('latin1').slice(1_000, 5_000));
    expect(data.genomeFeatures).toEqual([]);
  });

  it('should answer no bases and no genes where the reference cannot be had or the run is unknown', async () => {
    const query = `query ($run: ID!) { referenceBases(runId: $run, contig: "chrA", from: 1, to: 10)
      genomeFeatures(runId: $run, contig: "chrA", from: 1, to: 10) { gene } }`;
    for (const run of [storedRun, crypto.randomUUID()]) {
      expect(await queryData(api.url, query, { variables: { run } })).toEqual({
        referenceBases: null,
        genomeFeatures: [],
      });
    }
  });

  it('should ask for a key', async () => {
    const { body } = await postGraphQL(api.url, COVERAGE, {
      variables: { run: storedRun, contig: 'chrA', from: 1, to: 10, bins: 1 },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
