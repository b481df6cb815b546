import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';

/** Variants as seeded: deterministic, with many ties in quality and depth to test keyset ordering. */
interface SeededVariant {
  contig: string;
  position: number;
  ref: string;
  alt: string;
  type: 'SNV' | 'INSERTION' | 'DELETION';
  depth: number;
  alleleFrequency: number;
  quality: number;
  status: 'CANDIDATE' | 'CONFIRMED';
  firstSeenAt: string;
}

const BASE_TIME = Date.parse('2026-01-01T00:00:00Z');
const ANALYSES = 250;
const SAMPLES = 1_200;

function seededVariants(): SeededVariant[] {
  const variants: SeededVariant[] = [];
  for (let index = 0; index < 300; index += 1) {
    const type = index % 7 === 0 ? 'INSERTION' : index % 11 === 0 ? 'DELETION' : 'SNV';
    variants.push({
      contig: index % 3 === 0 ? 'chr2' : 'chr1',
      position: 1_000 + ((index * 37) % 5_000),
      ref: type === 'DELETION' ? 'AC' : 'A',
      alt: type === 'INSERTION' ? 'AT' : type === 'DELETION' ? 'A' : (['C', 'G', 'T'][index % 3] as string),
      type,
      depth: 10 + (index % 13),
      alleleFrequency: Math.round(((index % 20) / 20 + 0.05) * 100) / 100,
      quality: 10 + (index % 9) * 5,
      status: index % 4 === 0 ? 'CANDIDATE' : 'CONFIRMED',
      firstSeenAt: new Date(BASE_TIME + index * 1_000).toISOString(),
    });
  }
  return variants;
}

interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

describe('queries over stored results', () => {
  let api: TestServer;
  let finishedRun: string;
  let runningRun: string;
  const variants = seededVariants();

  /** Reads every page of a connection, forward, and returns the nodes in order. */
  async function readAll<T>(field: string, args: string, selection: string, pageSize = 40): Promise<T[]> {
    const nodes: T[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages += 1) {
      const data: Record<string, Page<T>> = await queryData(
        api.url,
        `query ($after: String) { ${field}(${args}, first: ${pageSize}, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection} } } } }`,
        { variables: { after } },
      );
      const page = data[field] as Page<T>;
      nodes.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
    throw new Error('more than 100 pages');
  }

  beforeAll(async () => {
    api = await startTestServer();
    const { pool } = api.database;
    const run = await pool.query<{ id: string }>(
      `INSERT INTO runs (id, source, config, reference_name, reference_length, status, started_at, stopped_at,
         reads_produced, reads_analysed, batches_analysed, variants_confirmed)
       VALUES (gen_random_uuid(), 'SIMULATED', '{"seed": 7}', 'random', 6000, 'COMPLETED', $1, $2, $3, $3, $4, $5)
       RETURNING id`,
      [
        new Date(BASE_TIME),
        new Date(BASE_TIME + 3_600_000),
        ANALYSES * 256,
        ANALYSES,
        variants.filter((variant) => variant.status === 'CONFIRMED').length,
      ],
    );
    finishedRun = run.rows[0]?.id as string;
    const running = await pool.query<{ id: string }>(
      `INSERT INTO runs (id, source, config, reference_name, reference_length, status, started_at)
       VALUES (gen_random_uuid(), 'SIMULATED', '{}', 'random', 6000, 'RUNNING', $1) RETURNING id`,
      [new Date(BASE_TIME + 7_200_000)],
    );
    runningRun = running.rows[0]?.id as string;
    await pool.query(
      `INSERT INTO analyses (run_id, sequence, reads, mapped_reads, mutated_reads, mutations_found, processing_time_ms, created_at)
       SELECT $1, s, 256, 250, s % 17, s % 5, 1.5, $2::timestamptz + s * interval '1 second'
       FROM generate_series(0, $3 - 1) AS s ORDER BY random()`,
      [finishedRun, new Date(BASE_TIME), ANALYSES],
    );
    await pool.query(
      `INSERT INTO variants (run_id, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency,
         quality, status, first_seen_at, last_seen_at, interpretation, interpretation_source)
       SELECT $1, v.contig, v.position, v.ref, v.alt, v.type::"VariantType", '0/1', v.depth, 5, v.af, v.quality,
         v.status::"VariantStatus", v.seen, v.seen,
         CASE WHEN v.position % 2 = 0 THEN jsonb_build_object('summary', 'synonymous change') END,
         CASE WHEN v.position % 2 = 0 THEN 'rules' END
       FROM jsonb_to_recordset($2::jsonb) AS v(contig text, position int, ref text, alt text, type text, depth int,
         af float8, quality float8, status text, seen timestamptz)
       ORDER BY random()`,
      [
        finishedRun,
        JSON.stringify(
          variants.map((variant) => ({ ...variant, af: variant.alleleFrequency, seen: variant.firstSeenAt })),
        ),
      ],
    );
    await pool.query(
      `INSERT INTO variants (run_id, contig, position, ref, alt, type, depth, alt_count, allele_frequency, quality, status)
       VALUES ($1, 'chr1', 42, 'A', 'G', 'SNV', 30, 15, 0.5, 60, 'CONFIRMED')`,
      [runningRun],
    );
    await pool.query(
      `INSERT INTO metric_samples (run_id, at, ingestion_rate, processing_rate, queue_depth, in_flight, throttled,
         sink_lag, reads_produced, reads_analysed)
       SELECT $1, $2::timestamptz + s * interval '1 second', 1000 + s, 900 + s, s % 50, 1, s % 100 = 0, 0, s * 1000, s * 900
       FROM generate_series(0, $3 - 1) AS s`,
      [finishedRun, new Date(BASE_TIME), SAMPLES],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('runs', () => {
    it('should list runs newest first with their total', async () => {
      const { runs } = await queryData<{ runs: Page<{ id: string; status: string }> }>(
        api.url,
        '{ runs(first: 10) { totalCount edges { node { id status startedAt } } } }',
      );
      expect(runs.totalCount).toBe(2);
      expect(runs.edges.map((edge) => edge.node.id)).toEqual([runningRun, finishedRun]);
    });

    it('should filter runs by status and page through them', async () => {
      const { runs } = await queryData<{ runs: Page<{ id: string }> }>(
        api.url,
        '{ runs(filter: { status: [COMPLETED] }, first: 1) { totalCount pageInfo { hasNextPage } edges { node { id } } } }',
      );
      expect(runs).toMatchObject({
        totalCount: 1,
        pageInfo: { hasNextPage: false },
        edges: [{ node: { id: finishedRun } }],
      });
    });

    it("should give a finished run's stats from its stored totals", async () => {
      const { stats } = await queryData<{ stats: Record<string, unknown> }>(
        api.url,
        'query ($run: ID!) { stats(runId: $run) { runId status live readsAnalysed batchesAnalysed variantsConfirmed durationSeconds } }',
        { variables: { run: finishedRun } },
      );
      expect(stats).toEqual({
        runId: finishedRun,
        status: 'COMPLETED',
        live: false,
        readsAnalysed: ANALYSES * 256,
        batchesAnalysed: ANALYSES,
        variantsConfirmed: variants.filter((variant) => variant.status === 'CONFIRMED').length,
        durationSeconds: 3_600,
      });
    });
  });

  describe('analyses', () => {
    it('should page through every batch of a run in sequence order, each exactly once', async () => {
      const nodes = await readAll<{ sequence: number }>(
        'analyses',
        `filter: { runId: "${finishedRun}" }`,
        'sequence',
        60,
      );
      expect(nodes.map((node) => node.sequence)).toEqual(Array.from({ length: ANALYSES }, (_, index) => index));
    });

    it('should page backward with last and before', async () => {
      const { analyses: last } = await queryData<{ analyses: Page<{ sequence: number }> }>(
        api.url,
        `{ analyses(filter: { runId: "${finishedRun}" }, last: 3) { pageInfo { hasPreviousPage startCursor } edges { node { sequence } } } }`,
      );
      expect(last.edges.map((edge) => edge.node.sequence)).toEqual([247, 248, 249]);
      expect(last.pageInfo.hasPreviousPage).toBe(true);
      const { analyses: before } = await queryData<{ analyses: Page<{ sequence: number }> }>(
        api.url,
        `query ($before: String) { analyses(filter: { runId: "${finishedRun}" }, last: 2, before: $before) { edges { node { sequence } } } }`,
        { variables: { before: last.pageInfo.startCursor } },
      );
      expect(before.edges.map((edge) => edge.node.sequence)).toEqual([245, 246]);
    });

    it('should filter batches by time range and count them', async () => {
      const from = new Date(BASE_TIME + 10_000).toISOString();
      const to = new Date(BASE_TIME + 20_000).toISOString();
      const { analyses } = await queryData<{ analyses: Page<{ sequence: number }> }>(
        api.url,
        `{ analyses(filter: { runId: "${finishedRun}", from: "${from}", to: "${to}" }, orderBy: CREATED_AT, first: 100) {
          totalCount edges { node { sequence } } } }`,
      );
      expect(analyses.totalCount).toBe(10);
      expect(analyses.edges.map((edge) => edge.node.sequence)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    });

    it('should find one batch by id, with its run', async () => {
      const { analyses } = await queryData<{ analyses: Page<{ id: string }> }>(
        api.url,
        `{ analyses(filter: { runId: "${finishedRun}" }, first: 1) { edges { node { id } } } }`,
      );
      const id = analyses.edges[0]?.node.id;
      const { analysis } = await queryData<{ analysis: unknown }>(
        api.url,
        'query ($id: ID!) { analysis(id: $id) { id sequence reads run { id status } } }',
        { variables: { id } },
      );
      expect(analysis).toEqual({ id, sequence: 0, reads: 256, run: { id: finishedRun, status: 'COMPLETED' } });
    });
  });

  describe('variants', () => {
    const selection = 'contig position ref alt type depth alleleFrequency quality status firstSeenAt';
    const key = (variant: Pick<SeededVariant, 'contig' | 'position' | 'ref' | 'alt'>) =>
      `${variant.contig}:${variant.position}:${variant.ref}>${variant.alt}`;
    const inRun = `runId: "${'RUN'}"`;
    const filterOf = (extra = '') => `filter: { ${inRun.replace('RUN', finishedRun)} ${extra} }`;

    it.each([
      ['types', 'types: [INSERTION, DELETION]', (v: SeededVariant) => v.type !== 'SNV'],
      ['status', 'status: CANDIDATE', (v: SeededVariant) => v.status === 'CANDIDATE'],
      ['quality range', 'minQuality: 20, maxQuality: 35', (v: SeededVariant) => v.quality >= 20 && v.quality <= 35],
      [
        'allele frequency range',
        'minAlleleFrequency: 0.3, maxAlleleFrequency: 0.6',
        (v: SeededVariant) => v.alleleFrequency >= 0.3 && v.alleleFrequency <= 0.6,
      ],
      ['depth', 'minDepth: 20', (v: SeededVariant) => v.depth >= 20],
      [
        'contig and position range',
        'contig: "chr1", positionFrom: 2000, positionTo: 3000',
        (v: SeededVariant) => v.contig === 'chr1' && v.position >= 2_000 && v.position <= 3_000,
      ],
      [
        'first-seen time range',
        `from: "${new Date(BASE_TIME + 50_000).toISOString()}", to: "${new Date(BASE_TIME + 60_000).toISOString()}"`,
        (v: SeededVariant) =>
          Date.parse(v.firstSeenAt) >= BASE_TIME + 50_000 && Date.parse(v.firstSeenAt) < BASE_TIME + 60_000,
      ],
    ])('should filter by %s and count what matches', async (_name, condition, matches) => {
      const expected = variants.filter(matches).map(key).sort();
      const { variants: page } = await queryData<{ variants: Page<SeededVariant> }>(
        api.url,
        `{ variants(${filterOf(condition)}, first: 100) { totalCount edges { node { contig position ref alt } } } }`,
      );
      expect(page.totalCount).toBe(expected.length);
      const all = await readAll<SeededVariant>('variants', filterOf(condition), 'contig position ref alt');
      expect(all.map(key).sort()).toEqual(expected);
    });

    it.each([
      [
        'POSITION',
        (a: SeededVariant, b: SeededVariant) =>
          a.contig.localeCompare(b.contig) ||
          a.position - b.position ||
          a.ref.localeCompare(b.ref) ||
          a.alt.localeCompare(b.alt),
      ],
      ['QUALITY', (a: SeededVariant, b: SeededVariant) => b.quality - a.quality],
      ['ALLELE_FREQUENCY', (a: SeededVariant, b: SeededVariant) => b.alleleFrequency - a.alleleFrequency],
      ['DEPTH', (a: SeededVariant, b: SeededVariant) => b.depth - a.depth],
      ['FIRST_SEEN', (a: SeededVariant, b: SeededVariant) => Date.parse(a.firstSeenAt) - Date.parse(b.firstSeenAt)],
    ])('should page through every variant ordered by %s, each exactly once', async (order, compare) => {
      const all = await readAll<SeededVariant>('variants', `${filterOf()}, orderBy: ${order}`, selection, 33);
      expect(all).toHaveLength(variants.length);
      expect(new Set(all.map(key)).size).toBe(variants.length);
      for (let index = 1; index < all.length; index += 1) {
        expect(compare(all[index - 1] as SeededVariant, all[index] as SeededVariant)).toBeLessThanOrEqual(0);
      }
    });

    it('should serve every field asked for through fragments, reading only the columns they need', async () => {
      const { variants: page } = await queryData<{ variants: Page<Record<string, unknown>> }>(
        api.url,
        `query { variants(${filterOf('positionFrom: 1000, positionTo: 1000')}, first: 1) {
          edges { node { ...Site ... on Variant { quality interpretation { source } } } } } }
        fragment Site on Variant { contig position status firstSeenAt }`,
      );
      expect(page.edges[0]?.node).toEqual({
        contig: expect.any(String),
        position: 1_000,
        status: expect.stringMatching(/^(CANDIDATE|CONFIRMED)$/),
        firstSeenAt: expect.stringMatching(/^2026-01-01T/),
        quality: expect.any(Number),
        interpretation: { source: 'rules' },
      });
    });

    it('should use the confirmed total kept on a finished run', async () => {
      const { variants: page } = await queryData<{ variants: Page<unknown> }>(
        api.url,
        `{ variants(${filterOf('status: CONFIRMED')}, first: 0) { totalCount } }`,
      );
      expect(page.totalCount).toBe(variants.filter((variant) => variant.status === 'CONFIRMED').length);
    });

    it('should find a variant by its id, with its interpretation', async () => {
      const { variants: page } = await queryData<{ variants: Page<{ id: string; position: number }> }>(
        api.url,
        `{ variants(${filterOf('positionFrom: 1000, positionTo: 1000')}, first: 1) { edges { node { id position } } } }`,
      );
      const id = page.edges[0]?.node.id;
      const { variant } = await queryData<{ variant: unknown }>(
        api.url,
        'query ($id: ID!) { variant(id: $id) { id position run { id } interpretation { source summary } } }',
        { variables: { id } },
      );
      expect(variant).toEqual({
        id,
        position: 1_000,
        run: { id: finishedRun },
        interpretation: { source: 'rules', summary: 'synonymous change' },
      });
    });

    it('should refuse a cursor of another ordering, naming the argument', async () => {
      const { variants: page } = await queryData<{ variants: Page<unknown> }>(
        api.url,
        `{ variants(${filterOf()}, orderBy: QUALITY, first: 1) { pageInfo { endCursor } } }`,
      );
      const { body } = await postGraphQL(
        api.url,
        `query ($after: String) { variants(${filterOf()}, orderBy: POSITION, first: 1, after: $after) { totalCount } }`,
        { key: testKeys.viewer, variables: { after: page.pageInfo.endCursor } },
      );
      expect(body.errors?.[0]).toMatchObject({
        message: 'after is a cursor of the QUALITY ordering; this page is ordered by POSITION',
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    });

    it('should refuse a forged cursor whose values do not fit the ordering', async () => {
      const forged = Buffer.from(JSON.stringify(['POSITION', finishedRun, 'chr1', 1e12, 'A', 'C'])).toString(
        'base64url',
      );
      const { body } = await postGraphQL(
        api.url,
        `query ($after: String) { variants(${filterOf()}, first: 1, after: $after) { totalCount } }`,
        { key: testKeys.viewer, variables: { after: forged } },
      );
      expect(body.errors?.[0]).toMatchObject({
        message: 'after is not a cursor of this connection',
        extensions: { field: 'after' },
      });
    });

    it('should refuse a malformed run id in a filter', async () => {
      const { body } = await postGraphQL(api.url, '{ variants(filter: { runId: "nope" }) { totalCount } }', {
        key: testKeys.viewer,
      });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.runId' });
    });

    it('should load the runs of a whole page of variants in one query (no N+1)', async () => {
      const { pool } = api.database;
      // Finished runs are kept in memory once read; forget them so the page must load its runs.
      api.server.invalidateRun(finishedRun);
      const original = pool.query.bind(pool);
      const statements: string[] = [];
      pool.query = ((...args: Parameters<typeof pool.query>) => {
        statements.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
        return original(...(args as unknown as [string]));
      }) as typeof pool.query;
      try {
        const { variants: page } = await queryData<{ variants: Page<{ run: { id: string } }> }>(
          api.url,
          '{ variants(first: 100) { edges { node { position run { id status } } } } }',
        );
        expect(page.edges).toHaveLength(100);
        expect(statements.filter((sql) => sql.includes('FROM runs'))).toHaveLength(1);
        expect(statements).toHaveLength(2);
      } finally {
        pool.query = original;
      }
    });
  });

  describe('metrics history', () => {
    it("should return a run's samples in time order", async () => {
      const { metricsHistory } = await queryData<{ metricsHistory: { at: string; queueDepth: number }[] }>(
        api.url,
        `query ($run: ID!, $from: DateTime, $to: DateTime) { metricsHistory(runId: $run, from: $from, to: $to) { at queueDepth } }`,
        {
          variables: {
            run: finishedRun,
            from: new Date(BASE_TIME).toISOString(),
            to: new Date(BASE_TIME + 60_000).toISOString(),
          },
        },
      );
      expect(metricsHistory).toHaveLength(60);
      expect(metricsHistory[59]).toEqual({ at: new Date(BASE_TIME + 59_000).toISOString(), queueDepth: 9 });
    });

    it('should average a long history into at most maxPoints buckets, keeping the peaks', async () => {
      const { metricsHistory } = await queryData<{
        metricsHistory: { queueDepth: number; throttled: boolean; readsProduced: number }[];
      }>(
        api.url,
        'query ($run: ID!) { metricsHistory(runId: $run, maxPoints: 10) { at queueDepth throttled readsProduced } }',
        { variables: { run: finishedRun } },
      );
      expect(metricsHistory.length).toBeLessThanOrEqual(10);
      expect(metricsHistory.length).toBeGreaterThan(5);
      expect(Math.max(...metricsHistory.map((sample) => sample.queueDepth))).toBe(49);
      expect(metricsHistory.some((sample) => sample.throttled)).toBe(true);
      expect(metricsHistory.at(-1)?.readsProduced).toBe((SAMPLES - 1) * 1_000);
    });
  });

  describe('response cache', () => {
    const cacheCounters = async () => {
      const text = await (await fetch(`${api.origin}/metrics`)).text();
      const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 'NaN');
      return { hits: read('helix_response_cache_hits_total'), misses: read('helix_response_cache_misses_total') };
    };
    const finishedQuery = () =>
      `{ variants(filter: { runId: "${finishedRun}", minQuality: 20 }, orderBy: POSITION, first: 50) { totalCount edges { node { id } } } }`;

    it('should answer a repeated query over a finished run from the cache, counting the hit', async () => {
      const before = await cacheCounters();
      const first = await postGraphQL(api.url, finishedQuery(), { key: testKeys.viewer });
      const second = await postGraphQL(api.url, finishedQuery(), { key: testKeys.viewer });
      expect(second.body).toEqual(first.body);
      const after = await cacheCounters();
      expect(after.hits - before.hits).toBe(1);
      expect(after.misses - before.misses).toBe(1);
    });

    it('should never cache a query over a running run', async () => {
      const query = `{ variants(filter: { runId: "${runningRun}" }) { totalCount } }`;
      const before = await cacheCounters();
      await postGraphQL(api.url, query, { key: testKeys.viewer });
      await api.database.pool.query(
        `INSERT INTO variants (run_id, contig, position, ref, alt, type, depth, alt_count, allele_frequency, quality, status)
         VALUES ($1, 'chr1', 43, 'A', 'G', 'SNV', 30, 15, 0.5, 60, 'CONFIRMED')`,
        [runningRun],
      );
      const { body } = await postGraphQL(api.url, query, { key: testKeys.viewer });
      expect(body).toEqual({ data: { variants: { totalCount: 2 } } });
      expect((await cacheCounters()).hits).toBe(before.hits);
    });

    it("should forget a run's cached answers when its data changes", async () => {
      await postGraphQL(api.url, finishedQuery(), { key: testKeys.viewer });
      api.server.invalidateRun(finishedRun);
      const before = await cacheCounters();
      await postGraphQL(api.url, finishedQuery(), { key: testKeys.viewer });
      const after = await cacheCounters();
      expect(after.misses - before.misses).toBe(1);
      expect(after.hits).toBe(before.hits);
    });
  });
});
