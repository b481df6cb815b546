import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Reference } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coverage as CoverageView } from '../../src/genome/coverage.js';
import { toGff3 } from '../annotate/genome-files.js';
import type { TestGene } from '../annotate/retranslate.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';
import { parseBedGraph, parseFasta, within } from './genome-files.js';

const LENGTH = 30_000;
/** A second contig, without genes: every answer names its contig. */
const SECOND = 6_000;
const TOTAL = LENGTH + SECOND;
const READ_LENGTH = 100;
const READS = 30_000;
const MIN_DEPTH = 3;
/** A simulated run's one sample, unnamed. */
const SAMPLE = 'sample';
/** Depth counts a read only 3 bases inside each end of its alignment (the pileup's SNV margin). */
const COUNTED_BASES = READ_LENGTH - 2 * 3;
/** Stored bins of a 30,000-base contig: max(1, ceil(30000 / 20000)). */
const STORED_BIN_SIZE = 2;

const GENES: TestGene[] = [
  { name: 'geneA', locusTag: 'R_0001', strand: '+', segments: [[1_001, 7_000]] },
  { name: 'geneB', locusTag: 'R_0002', strand: '-', segments: [[8_001, 14_000]] },
  { name: 'geneC', locusTag: 'R_0003', strand: '+', segments: [[15_001, 29_500]] },
];

// SNVs only: the consensus then keeps the reference's coordinates, so it is checked base by base.
const START = `mutation { startPipeline(input: { source: SIMULATED, referencePath: "ref.fa", annotationPath: "genes.gff3",
  readLength: ${READ_LENGTH}, readsPerSecond: 3000, batchSize: 250, totalReads: ${READS},
  mutationRate: 0.002, indelFraction: 0, errorRate: 0.001, seed: 5, workers: 1, minDepth: ${MIN_DEPTH} })
  { __typename ... on Run { id } ... on Error { message } } }`;

const VIEW = `query ($run: ID!, $contig: String!, $sample: String!, $regions: Int) {
  stats(runId: $run) { live readsAnalysed }
  whole: coverage(runId: $run, sample: $sample, contig: $contig, from: 1, to: ${LENGTH}, bins: 5000) { contig from to binSize depths maxDepths }
  second: coverage(runId: $run, sample: $sample, contig: "chr2", from: 1, to: ${SECOND}, bins: 1000) { contig from to binSize depths maxDepths }
  fine: coverage(runId: $run, sample: $sample, contig: $contig, from: 5001, to: 5100, bins: 100) { binSize depths maxDepths }
  referenceBases(runId: $run, contig: $contig, from: 5001, to: 5100)
  genomeFeatures(runId: $run, contig: $contig, from: 1, to: ${LENGTH}) { gene locusTag product kind strand from to }
  window: genomeFeatures(runId: $run, contig: $contig, from: 7500, to: 8500) { gene }
  run(id: $run) { finished contigs { name length } samples { name meanDepth breadth1x breadth10x breadth100x
    lowCoverageRegions(first: $regions) { contig from to } } } }`;

interface GenomeView {
  stats: { live: boolean; readsAnalysed: number };
  whole: CoverageView | null;
  second: CoverageView | null;
  fine: CoverageView | null;
  referenceBases: string | null;
  genomeFeatures: {
    gene: string;
    locusTag: string;
    product: string;
    kind: string;
    strand: string;
    from: number;
    to: number;
  }[];
  window: { gene: string }[];
  run: {
    finished: boolean;
    contigs: { name: string; length: number }[];
    samples: {
      name: string;
      meanDepth: number;
      breadth1x: number;
      breadth10x: number;
      breadth100x: number;
      lowCoverageRegions: { contig: string; from: number; to: number }[];
    }[];
  };
}

/** The summed depth of bins (the last bin may hold fewer bases). */
function depthOf(coverage: CoverageView): number {
  let total = 0;
  coverage.depths.forEach((depth, index) => {
    const start = coverage.from + index * coverage.binSize;
    total += depth * (Math.min(coverage.to, start + coverage.binSize - 1) - start + 1);
  });
  return total;
}

/** The mean depth over both contigs of an answer's whole-contig coverage. */
function genomeMean(answer: Pick<GenomeView, 'whole' | 'second'>): number {
  return (depthOf(answer.whole as CoverageView) + depthOf(answer.second as CoverageView)) / TOTAL;
}

/** The confirmed calls a consensus applies (allele frequency above 0.5, or on every copy), by contig and position. */
async function majorityAlleles(api: TestServer, runId: string): Promise<Map<string, string>> {
  const { rows } = await api.database.pool.query<{ contig: string; position: number; alt: string }>(
    `SELECT contig, position, alt FROM variants WHERE run_id = $1 AND sample = $2 AND status = 'CONFIRMED'
       AND (allele_frequency > 0.5 OR genotype IN ('1', '1/1'))`,
    [runId, SAMPLE],
  );
  return new Map(rows.map((row) => [`${row.contig}:${row.position}`, row.alt]));
}

describe('the genome of a simulated run over GraphQL and HTTP, live and stored', () => {
  let api: TestServer;
  let runId: string;
  const contig = 'chr1';
  let bases: string;
  let secondBases: string;
  let live: GenomeView;
  let liveBedGraph: string;
  let liveConsensus: string;
  let storedWhileRunning: boolean;
  let final: GenomeView;
  const view = () =>
    queryData<GenomeView>(api.url, VIEW, { variables: { run: runId, contig, sample: SAMPLE, regions: 10_000 } });
  const download = (file: string, key: string | null = testKeys.viewer, sample = SAMPLE) =>
    fetch(`${api.origin}/runs/${runId}/samples/${encodeURIComponent(sample)}/${file}`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });

  beforeAll(async () => {
    api = await startTestServer();
    bases = Reference.random(LENGTH, 41).sequence(0).toString('latin1');
    secondBases = Reference.random(SECOND, 43).sequence(0).toString('latin1');
    await writeFile(join(api.inputDir, 'ref.fa'), `>${contig}\n${bases}\n>chr2\n${secondBases}\n`);
    await writeFile(join(api.inputDir, 'genes.gff3'), toGff3(contig, bases, GENES));
    const data = await queryData<{ startPipeline: { __typename: string; id?: string; message?: string } }>(
      api.url,
      START,
      { key: testKeys.operator },
    );
    expect(data.startPipeline).toMatchObject({ __typename: 'Run' });
    runId = data.startPipeline.id as string;
    await waitFor(
      async () => {
        const stats = (await view()).stats;
        return stats.live && stats.readsAnalysed >= 6_000;
      },
      30_000,
      'the run to analyse 6,000 reads',
    );
    live = await view();
    liveBedGraph = await (await download('coverage.bedgraph')).text();
    liveConsensus = await (await download('consensus.fa')).text();
    let running = true;
    await waitFor(
      async () => {
        const { rows } = await api.database.pool.query('SELECT 1 FROM sample_coverage WHERE run_id = $1', [runId]);
        running = (await view()).stats.live;
        return rows.length > 0;
      },
      30_000,
      'coverage to be stored',
    );
    storedWhileRunning = running;
    await waitFor(async () => (await view()).run.finished, 60_000, 'the run to finish');
    final = await view();
  }, 120_000);

  afterAll(async () => {
    await api?.close();
  });

  it('should serve coverage from the pileup while the run goes on, its mean as the reads analysed give it', () => {
    expect(live.stats.live).toBe(true);
    expect(live.run.finished).toBe(false);
    const whole = live.whole as CoverageView;
    expect(whole).toMatchObject({ contig, from: 1, to: LENGTH, binSize: LENGTH / 5000 });
    expect(whole.depths).toHaveLength(5000);
    expect(live.second).toMatchObject({ contig: 'chr2', from: 1, to: SECOND, binSize: SECOND / 1000 });
    const expected = (live.stats.readsAnalysed * COUNTED_BASES) / TOTAL;
    expect(genomeMean(live)).toBeGreaterThan(expected * 0.9);
    expect(genomeMean(live)).toBeLessThan(expected * 1.05);
    expect(whole.depths.every((depth, index) => (whole.maxDepths[index] as number) >= depth)).toBe(true);
  });

  it('should serve single bases from the live pileup: whole depths, each its own maximum', () => {
    const fine = live.fine as CoverageView;
    expect(fine.binSize).toBe(1);
    expect(fine.depths).toHaveLength(100);
    expect(fine.depths.every(Number.isInteger)).toBe(true);
    expect(fine.maxDepths).toEqual(fine.depths);
  });

  it('should give the live bedGraph at base resolution, as deep as the coverage query', () => {
    const { track, lines } = parseBedGraph(liveBedGraph);
    expect(track).toMatch(/^track type=bedGraph name="sample depth"/);
    for (const [name, length] of [
      [contig, LENGTH],
      ['chr2', SECOND],
    ] as const) {
      const ofContig = lines.filter((line) => line.contig === name);
      expect(ofContig[0]?.start).toBe(0);
      expect(ofContig.at(-1)?.end).toBe(length);
      ofContig.forEach((line, index) => {
        expect(Number.isInteger(line.depth)).toBe(true);
        if (index > 0) {
          expect(line.start).toBe(ofContig[index - 1]?.end);
          expect(line.depth).not.toBe(ofContig[index - 1]?.depth);
        }
      });
    }
    expect(lines.map((line) => line.contig)).toEqual([...lines.map((line) => line.contig)].sort());
    const mean = lines.reduce((sum, line) => sum + line.depth * (line.end - line.start), 0) / TOTAL;
    // Taken a moment after the coverage query: the run has only gone on since.
    expect(mean).toBeGreaterThanOrEqual(genomeMean(live) * 0.99);
  });

  it("should give the live run's consensus from its pileup: a record per contig over its whole length", () => {
    const records = parseFasta(liveConsensus);
    expect(records.map((record) => record.sequence.length)).toEqual([LENGTH, SECOND]);
    expect(records.every((record) => record.sequence.startsWith('NNN'))).toBe(true);
  });

  it('should store coverage every few seconds while the run goes on', () => {
    expect(storedWhileRunning).toBe(true);
  });

  it("should serve the reference's bases and the genes, live and stored alike", () => {
    for (const answer of [live, final]) {
      expect(answer.referenceBases).toBe(bases.slice(5000, 5100));
      expect(answer.genomeFeatures).toEqual(
        GENES.map((gene) => ({
          gene: gene.name,
          locusTag: gene.locusTag,
          product: `${gene.name} protein`,
          kind: 'CDS',
          strand: gene.strand === '+' ? 'FORWARD' : 'REVERSE',
          from: gene.segments[0]?.[0],
          to: gene.segments[0]?.[1],
        })),
      );
      expect(answer.window).toEqual([{ gene: 'geneB' }]);
      expect(answer.run.contigs).toEqual([
        { name: contig, length: LENGTH },
        { name: 'chr2', length: SECOND },
      ]);
    }
  });

  it("should serve a finished run's coverage from its stored bins, agreeing with the sample's mean depth", () => {
    expect(final.stats.live).toBe(false);
    const [sample] = final.run.samples;
    expect(sample?.name).toBe(SAMPLE);
    const meanDepth = sample?.meanDepth as number;
    expect(meanDepth).toBeGreaterThan(((READS * COUNTED_BASES) / TOTAL) * 0.9);
    expect(meanDepth).toBeLessThan(((READS * COUNTED_BASES) / TOTAL) * 1.05);
    expect(final.whole?.binSize).toBe(LENGTH / 5000);
    expect(final.second?.binSize).toBe(SECOND / 1000);
    expect(genomeMean(final)).toBeCloseTo(meanDepth, 2);
    // Never finer than stored: 100 bases come in 2-base bins.
    expect(final.fine?.binSize).toBe(STORED_BIN_SIZE);
    expect(final.fine?.depths).toHaveLength(100 / STORED_BIN_SIZE);
  });

  it('should report breadth at 1x, 10x and 100x in order', () => {
    const [sample] = final.run.samples;
    expect(sample?.breadth1x).toBeGreaterThan(0.99);
    expect(sample?.breadth10x).toBeLessThanOrEqual(sample?.breadth1x as number);
    expect(sample?.breadth100x).toBeGreaterThan(0);
    expect(sample?.breadth100x).toBeLessThan(sample?.breadth10x as number);
  });

  it("should list the stretches below the run's minimum depth where the stored bins say so", async () => {
    const all = final.run.samples[0]?.lowCoverageRegions ?? [];
    // A read's depth starts 3 bases in: each contig's first bases are always below the minimum.
    expect(all[0]).toMatchObject({ contig, from: 1 });
    expect(all.find((region) => region.contig === 'chr2')).toMatchObject({ from: 1 });
    expect(all.map((region) => region.contig)).toEqual([...all.map((region) => region.contig)].sort());
    const regions = all.filter((region) => region.contig === contig);
    regions.forEach((region, index) => {
      expect(region.to).toBeGreaterThanOrEqual(region.from);
      if (index > 0) expect(region.from).toBeGreaterThan((regions[index - 1]?.to as number) + 1);
    });
    const { coverage } = await queryData<{ coverage: CoverageView }>(
      api.url,
      `query ($run: ID!, $contig: String!) { coverage(runId: $run, sample: "${SAMPLE}", contig: $contig, from: 1, to: 10000, bins: 5000) { from binSize depths maxDepths } }`,
      { variables: { run: runId, contig } },
    );
    expect(coverage.binSize).toBe(STORED_BIN_SIZE);
    coverage.depths.forEach((depth, index) => {
      const first = 1 + index * STORED_BIN_SIZE;
      const last = first + STORED_BIN_SIZE - 1;
      if (within(regions, first) && within(regions, last)) expect(coverage.maxDepths[index]).toBeLessThan(MIN_DEPTH);
      if (!within(regions, first) && !within(regions, last)) expect(depth).toBeGreaterThanOrEqual(MIN_DEPTH);
    });
  });

  it("should give a finished run's bedGraph from the stored bins, each line as deep as the coverage query says", async () => {
    const response = await download('coverage.bedgraph');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain(`helix-${runId}-${SAMPLE}.coverage.bedgraph`);
    const { track, lines } = parseBedGraph(await response.text());
    expect(track).toContain('type=bedGraph');
    expect(new Set(lines.map((line) => line.contig))).toEqual(new Set([contig, 'chr2']));
    expect(lines.filter((line) => line.contig === 'chr2').at(-1)?.end).toBe(SECOND);
    const ofContig = lines.filter((line) => line.contig === contig);
    const perBin: number[] = [];
    for (const [index, line] of ofContig.entries()) {
      expect(line.start).toBe(index === 0 ? 0 : ofContig[index - 1]?.end);
      if (index > 0) expect(line.depth).not.toBe(ofContig[index - 1]?.depth);
      for (let start = line.start; start < line.end; start += STORED_BIN_SIZE) perBin.push(line.depth);
    }
    expect(ofContig.at(-1)?.end).toBe(LENGTH);
    const stored: number[] = [];
    for (let from = 1; from <= LENGTH; from += 10_000) {
      const { coverage } = await queryData<{ coverage: CoverageView }>(
        api.url,
        `query ($run: ID!, $contig: String!, $from: Int!, $to: Int!) { coverage(runId: $run, sample: "${SAMPLE}", contig: $contig, from: $from, to: $to, bins: 5000) { binSize depths } }`,
        { variables: { run: runId, contig, from, to: from + 9_999 } },
      );
      expect(coverage.binSize).toBe(STORED_BIN_SIZE);
      stored.push(...coverage.depths);
    }
    expect(perBin).toEqual(stored.map((depth) => Math.round(depth * 100) / 100));
  });

  it("should give the sample's consensus as a FASTA record per contig: N below the minimum depth, the majority SNVs applied", async () => {
    const response = await download('consensus.fa');
    expect(response.status).toBe(200);
    const records = parseFasta(await response.text());
    expect(records).toHaveLength(2);
    const regions = final.run.samples[0]?.lowCoverageRegions ?? [];
    const alleles = await majorityAlleles(api, runId);
    expect(alleles.size).toBeGreaterThan(0);
    for (const [index, [name, reference]] of [
      [contig, bases],
      ['chr2', secondBases],
    ].entries()) {
      const record = records[index];
      expect(record?.header).toContain(SAMPLE);
      expect(record?.header).toContain(name);
      expect(record?.header).toContain(String(MIN_DEPTH));
      const low = regions.filter((region) => region.contig === name);
      const expected = Array.from(reference as string, (base, offset) => {
        if (within(low, offset + 1)) return 'N';
        return alleles.get(`${name}:${offset + 1}`) ?? base;
      }).join('');
      expect(record?.sequence).toBe(expected);
    }
  });

  it('should refuse the downloads without a key, and name what is missing', async () => {
    for (const file of ['consensus.fa', 'coverage.bedgraph']) {
      const refused = await download(file, null);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect((await download(file, 'not-a-key')).status).toBe(401);
      const unknown = await download(file, testKeys.viewer, 'barcode99');
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: string }).error).toContain('barcode99');
    }
    const noRun = await fetch(`${api.origin}/runs/${crypto.randomUUID()}/samples/${SAMPLE}/consensus.fa`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    expect(noRun.status).toBe(404);
  });
});
