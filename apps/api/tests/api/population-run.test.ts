import { execFileSync } from 'node:child_process';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBcftools } from '../annotate/peer-tools.js';
import { buildTestMixture, TEST_MIXTURE_FRACTIONS, type TestMixture } from '../support/mixture.js';
import { postGraphQL, queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';
import { type Delivered, type EventLog, sleep, subscribeWs, wsClient } from './support.js';

const START = `mutation ($mode: CallingMode, $minAlleleFrequency: Float) {
  startPipeline(input: { source: FASTQ, referencePath: "reference.fa", readsPaths: ["reads_1.fq", "reads_2.fq"],
    mode: $mode, minAlleleFrequency: $minAlleleFrequency, readsPerSecond: 0, batchSize: 2000 })
  { __typename ... on Run { id mode config } ... on InvalidInputError { message field } } }`;

const CALL_FIELDS = `position ref alt genotype depth altCount alleleFrequency forwardAltCount reverseAltCount
  forwardRefCount reverseRefCount strandBias filters readsUntilDetection`;

const ALARMS = `subscription { mutationDetected { runId ${CALL_FIELDS} } }`;

const VARIANTS = `query ($filter: VariantFilter, $after: String) { variants(filter: $filter, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { ${CALL_FIELDS} alleleFrequencyHistory { readsAnalysed alleleFrequency depth at } } } } }`;

const RUN = `query ($id: ID!) { run(id: $id) { finished mode config readsAnalysed } }`;

interface HistoryPoint {
  readsAnalysed: number;
  alleleFrequency: number;
  depth: number;
  at: string;
}

interface CallView {
  position: number;
  ref: string;
  alt: string;
  genotype: string | null;
  depth: number;
  altCount: number;
  alleleFrequency: number;
  forwardAltCount: number;
  reverseAltCount: number;
  forwardRefCount: number;
  reverseRefCount: number;
  strandBias: number | null;
  filters: string[];
  readsUntilDetection: number | null;
}

interface StoredCall extends CallView {
  alleleFrequencyHistory: HistoryPoint[];
}

interface VariantsPage {
  variants: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: StoredCall }[] };
}

interface RunView {
  finished: boolean;
  mode: string;
  config: string;
  readsAnalysed: number;
}

const key = (call: Pick<CallView, 'position' | 'ref' | 'alt'>) => `${call.position} ${call.ref} ${call.alt}`;

describe('a live FASTQ run of a mixed population', () => {
  let mixture: TestMixture;
  let api: TestServer;
  let client: Client;
  let alarms: { log: EventLog<Delivered<{ mutationDetected: CallView & { runId: string } }>>; stop: () => void };

  /** Starts a run of the mixture and waits until it has finished; its id. */
  async function finishedRun(variables: Record<string, unknown>): Promise<string> {
    const data = await queryData<{ startPipeline: { __typename: string; id?: string; message?: string } }>(
      api.url,
      START,
      { key: testKeys.operator, variables },
    );
    expect(data.startPipeline, data.startPipeline.message).toMatchObject({ __typename: 'Run' });
    const runId = data.startPipeline.id as string;
    await waitFor(async () => (await run(runId)).finished, 240_000, 'the run to finish');
    await waitFor(async () => api.pipeline.state === 'IDLE', 10_000, 'the pipeline to be idle');
    return runId;
  }

  const run = async (id: string) => (await queryData<{ run: RunView }>(api.url, RUN, { variables: { id } })).run;

  /** Every call of a run that `filter` keeps, page by page. */
  async function calls(runId: string, filter: Record<string, unknown> = {}): Promise<StoredCall[]> {
    const found: StoredCall[] = [];
    let after: string | null = null;
    for (;;) {
      const page: VariantsPage = await queryData<VariantsPage>(api.url, VARIANTS, {
        variables: { filter: { runId, status: 'CONFIRMED', ...filter }, after },
      });
      found.push(...page.variants.edges.map((edge) => edge.node));
      if (!page.variants.pageInfo.hasNextPage) return found;
      after = page.variants.pageInfo.endCursor;
    }
  }

  let populationRun: string;
  let population: StoredCall[];

  beforeAll(async () => {
    mixture = await buildTestMixture();
    api = await startTestServer();
    await copyFile(mixture.referencePath, join(api.inputDir, 'reference.fa'));
    await copyFile(mixture.reads[0], join(api.inputDir, 'reads_1.fq'));
    await copyFile(mixture.reads[1], join(api.inputDir, 'reads_2.fq'));
    client = wsClient(api);
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    alarms = subscribeWs(client, ALARMS);
    await connected;
    await sleep(200);
    populationRun = await finishedRun({ mode: 'POPULATION' });
    population = await calls(populationRun);
  }, 300_000);

  afterAll(async () => {
    alarms?.stop();
    await client?.dispose();
    await api?.close();
    if (mixture) await rm(mixture.directory, { recursive: true, force: true });
  });

  it('should default the minimum allele frequency of a POPULATION run to 0.02 and say the run is one', async () => {
    const stored = await run(populationRun);
    expect(stored.mode).toBe('POPULATION');
    expect(JSON.parse(stored.config)).toMatchObject({ mode: 'POPULATION', minAlleleFrequency: 0.02 });
  });

  it('should confirm the 5 % and the 20 % alleles of the mixture at their frequencies, with no genotype', () => {
    const byKey = new Map(population.map((call) => [key(call), call]));
    for (const fraction of TEST_MIXTURE_FRACTIONS) {
      const planted = mixture.truth.filter((variant) => variant.class === 'SNV' && variant.frequency === fraction);
      const found = planted.flatMap((variant) => {
        const call = byKey.get(key(variant));
        return call && call.filters.length === 0 ? [call] : [];
      });
      expect(found.length / planted.length, `recall at ${fraction}`).toBeGreaterThanOrEqual(0.95);
      for (const call of found) {
        expect(Math.abs(call.alleleFrequency - fraction), `AF at ${key(call)}`).toBeLessThan(fraction / 2);
      }
    }
    expect(population.every((call) => call.genotype === null)).toBe(true);
  });

  it("should count each call's reads per strand, its alternate reads summing to its alt count", () => {
    expect(population.length).toBeGreaterThan(0);
    for (const call of population) {
      expect(call.forwardAltCount + call.reverseAltCount, key(call)).toBe(call.altCount);
      expect(
        call.forwardAltCount + call.reverseAltCount + call.forwardRefCount + call.reverseRefCount,
      ).toBeLessThanOrEqual(call.depth);
    }
  });

  it('should list no filter for a passing call, and keep exactly those when asked for passing calls only', async () => {
    const passing = population.filter((call) => call.filters.length === 0).map(key);
    expect(passing.length).toBeGreaterThan(0);
    const passOnly = await calls(populationRun, { passOnly: true });
    expect(passOnly.map(key).sort()).toEqual(passing.sort());
    for (const call of population) {
      for (const filter of call.filters) expect(['LowQual', 'LowDepth', 'StrandBias']).toContain(filter);
    }
    const failing = population.filter((call) => call.filters.length > 0).map(key);
    const failingAny = await calls(populationRun, { filters: ['LowQual', 'LowDepth', 'StrandBias'] });
    expect(failingAny.map(key).sort()).toEqual(failing.sort());
  });

  it("should serve the run's VCF with per-strand counts and FILTER, bcftools keeping exactly the passing calls", async () => {
    requireBcftools();
    const response = await fetch(`${api.origin}/runs/${populationRun}/variants.vcf`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    expect(response.status).toBe(200);
    const vcf = join(mixture.directory, 'served.vcf');
    await writeFile(vcf, await response.text());
    const records = execFileSync('bcftools', ['view', '-H', vcf], { encoding: 'utf8' }).trim().split('\n');
    expect(records.length).toBe(population.length);
    const passing = execFileSync('bcftools', ['view', '-H', '-f', 'PASS', vcf], { encoding: 'utf8' }).trim();
    expect(passing.split('\n').length).toBe(population.filter((call) => call.filters.length === 0).length);
    const format = execFileSync('bcftools', ['query', '-f', '[%ADF;%ADR;%AF]\\n', vcf], { encoding: 'utf8' });
    expect(format.split('\n')[0]).toMatch(/^\d+,\d+;\d+,\d+;[\d.]+$/);
  });

  it('should refuse to filter calls by a FILTER value no call can fail, naming the field', async () => {
    const { body } = await postGraphQL(api.url, VARIANTS, {
      key: testKeys.viewer,
      variables: { filter: { runId: populationRun, filters: ['LowQual', 'Fuzzy'] } },
    });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.filters.1' });
  });

  it("should keep each call's allele frequency over the run, bounded, its last point being the call as stored", async () => {
    const { readsAnalysed } = await run(populationRun);
    for (const call of population) {
      const history = call.alleleFrequencyHistory;
      expect(history.length, key(call)).toBeGreaterThan(0);
      expect(history.length).toBeLessThanOrEqual(101);
      const last = history[history.length - 1] as HistoryPoint;
      expect(last.alleleFrequency, key(call)).toBe(call.alleleFrequency);
      expect(last.depth).toBe(call.depth);
      const reads = history.map((point) => point.readsAnalysed);
      expect(reads).toEqual([...reads].sort((a, b) => a - b));
      expect(last.readsAnalysed).toBeLessThanOrEqual(readsAnalysed);
      expect(call.readsUntilDetection).not.toBeNull();
      expect(call.readsUntilDetection as number).toBeLessThanOrEqual(readsAnalysed);
    }
    // Over a 500× run, a call is seen as its depth grows: most have more than one point.
    const tracked = population.filter((call) => call.alleleFrequencyHistory.length > 1).length;
    expect(tracked / population.length).toBeGreaterThan(0.9);
  });

  it('should announce each confirmed call with its strand counts, filters and the reads it took', async () => {
    const announced = alarms.log.events
      .map((event) => event.data?.mutationDetected)
      .filter((alarm) => alarm?.runId === populationRun);
    expect(announced.length).toBeGreaterThan(0);
    for (const alarm of announced) {
      if (!alarm) continue;
      expect(alarm.genotype).toBeNull();
      expect(alarm.forwardAltCount + alarm.reverseAltCount).toBe(alarm.altCount);
      expect(Array.isArray(alarm.filters)).toBe(true);
      expect(alarm.readsUntilDetection).toBeGreaterThan(0);
    }
  });

  it('should keep the genotypes of a GERMLINE run of the same reads, at its own minimum of 0.15', async () => {
    const germlineRun = await finishedRun({ mode: 'GERMLINE' });
    const stored = await run(germlineRun);
    expect(stored.mode).toBe('GERMLINE');
    expect(JSON.parse(stored.config)).toMatchObject({ mode: 'GERMLINE', minAlleleFrequency: 0.15 });
    const germline = await calls(germlineRun);
    expect(germline.length).toBeGreaterThan(0);
    expect(germline.every((call) => call.genotype !== null)).toBe(true);
    // The 5 % alleles fall below the germline minimum.
    const fivePercent = new Set(mixture.truth.filter((variant) => variant.frequency === 0.05).map(key));
    expect(germline.filter((call) => fivePercent.has(key(call)))).toEqual([]);
  }, 300_000);

  it('should take a minimum allele frequency given with a POPULATION run over its default', async () => {
    const given = await queryData<{ startPipeline: { __typename: string; id?: string; message?: string } }>(
      api.url,
      START,
      { key: testKeys.operator, variables: { mode: 'POPULATION', minAlleleFrequency: 0.1 } },
    );
    expect(given.startPipeline, given.startPipeline.message).toMatchObject({ __typename: 'Run' });
    const runId = given.startPipeline.id as string;
    expect(JSON.parse((await run(runId)).config)).toMatchObject({ mode: 'POPULATION', minAlleleFrequency: 0.1 });
    await queryData(api.url, 'mutation { stopPipeline(drain: false) { __typename } }', { key: testKeys.operator });
  });
});
