import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHelix } from '../support/process.js';
import { queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { readVcfSites } from '../support/vcf.js';
import { waitFor } from '../support/wait-for.js';
import { type Delivered, type EventLog, subscribeWs, wsClient } from './support.js';

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference,
    readsPerSecond: 0, batchSize: 128 }) { __typename ... on Run { id } } }`;

const SAMPLES = `query ($run: ID!) { run(id: $run) { status samples { name readsAnalysed } } }`;

interface StoredRun {
  status: string;
  samples: { name: string; readsAnalysed: number }[];
}

interface Alarm {
  mutationDetected: { sample: string; runId: string };
}

/** Reads in a FASTQ file, plain or gzip (one or several members). */
async function readsIn(path: string): Promise<number> {
  const bytes = await readFile(path);
  const text = path.endsWith('.gz') ? gunzipSync(bytes).toString() : bytes.toString();
  return text.split('\n').filter((line) => line !== '').length / 4;
}

/** Writes the files at `paths` one after another into `out`, uncompressed: a sample's reads concatenated. */
async function concatenate(paths: string[], out: string): Promise<void> {
  const parts = await Promise.all(paths.map(async (path) => gunzipSync(await readFile(path))));
  await writeFile(out, Buffer.concat(parts));
}

/** FASTQ text cut in two at the record halfway through, as two lanes of one sample. */
function splitInTwo(text: string): Buffer[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const half = Math.floor(lines.length / 8) * 4;
  return [lines.slice(0, half), lines.slice(half)].map((part) => Buffer.from(`${part.join('\n')}\n`));
}

/** Runs `helix <args>` to its end; fails with its output unless it exits 0. */
async function helix(args: string[]): Promise<void> {
  const child = runHelix(args, {});
  expect(await child.exited, child.output()).toBe(0);
}

/** The sites (contig:pos:ref:alt) a multi-sample VCF calls in `sample`'s column. */
function sitesOfSample(vcf: string, sample: string): string[] {
  const lines = execFileSync('bcftools', ['query', '-s', sample, '-f', '%CHROM:%POS:%REF:%ALT\t[%GT]\n', vcf], {
    encoding: 'utf8',
  });
  return lines
    .split('\n')
    .filter((line) => line !== '' && !line.split('\t')[1]?.startsWith('.'))
    .map((line) => line.split('\t')[0] as string)
    .sort();
}

describe('acceptance: live sequencing runs followed over the API, every read once, calls as helix analyze makes them', () => {
  let api: TestServer;
  let client: Client;
  let alarms: { log: EventLog<Delivered<Alarm>>; stop: () => void };
  let scratch: string;

  /** Starts a DIRECTORY run of `directory`, with the reference inside it. */
  const start = async (directory: string): Promise<string> => {
    const started = await queryData<{ startPipeline: { __typename: string; id: string } }>(api.url, START, {
      key: testKeys.operator,
      variables: { directory, reference: `${directory}/reference.fa` },
    });
    expect(started.startPipeline.__typename).toBe('Run');
    return started.startPipeline.id;
  };
  const samplesOf = async (runId: string) =>
    (await queryData<{ run: StoredRun }>(api.url, SAMPLES, { variables: { run: runId } })).run;
  /** The run's multi-sample VCF over HTTP, saved to a file for bcftools. */
  const vcfOf = async (runId: string): Promise<string> => {
    const response = await fetch(`${api.origin}/runs/${runId}/variants.vcf`, {
      headers: { authorization: `Bearer ${testKeys.viewer}` },
    });
    expect(response.status).toBe(200);
    const path = join(scratch, `${runId}.vcf`);
    await writeFile(path, await response.text());
    return path;
  };
  /** What `helix analyze` calls on `paths` (a sample's files, concatenated mate by mate). */
  const analyzeSites = async (sample: string, reference: string, paths: string[][]): Promise<string[]> => {
    const reads = await Promise.all(
      paths.map(async (mates, index) => {
        const out = join(scratch, `${sample}-${index + 1}.fastq`);
        await concatenate(mates, out);
        return out;
      }),
    );
    const vcf = join(scratch, `${sample}.analyze.vcf`);
    await helix(['analyze', '--reference', reference, '--reads', ...reads, '--vcf', vcf, '--sample', sample]);
    return (await readVcfSites(vcf)).map(({ key }) => key).sort();
  };

  beforeAll(async () => {
    api = await startTestServer();
    scratch = await mkdtemp(join(tmpdir(), 'helix-acceptance-'));
    client = wsClient(api);
    alarms = subscribeWs<Alarm>(client, 'subscription { mutationDetected { sample runId } }');
  });

  afterAll(async () => {
    alarms?.stop();
    await client?.dispose();
    await api?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('should follow a MinKNOW run written over 20 s by helix simulate, and call each barcode as helix analyze does', async () => {
    const name = 'run-minknow';
    const runDir = join(api.inputDir, name);
    const endMarker = join(runDir, `final_summary_${name}.txt`);
    const simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', runDir, '--samples', '3', '--reads', '1500', '--chunk-reads', '150'],
        ...['--chunk-interval-ms', '2000', '--reference-length', '8000', '--mutation-rate', '0.003', '--seed', '11'],
      ],
      {},
    );
    await waitFor(() => existsSync(join(runDir, 'reference.fa')), 20_000, 'the run folder');
    const runId = await start(name);
    const alarmsBefore = alarms.log.events.length;

    await waitFor(
      async () => (await samplesOf(runId)).samples.some(({ readsAnalysed }) => readsAnalysed > 0),
      20_000,
      'the first analysed reads',
    );
    const analysedWhileLive = !existsSync(endMarker);
    expect(await simulate.exited, simulate.output()).toBe(0);
    const outcome = await api.pipeline.whenRunEnds();
    const stored = await samplesOf(runId);
    const barcodes = ['barcode01', 'barcode02', 'barcode03'];
    const files = await Promise.all(
      barcodes.map(async (barcode) => {
        const folder = join(runDir, 'fastq_pass', barcode);
        return (await readdir(folder))
          .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
          .map((file) => join(folder, file));
      }),
    );
    const written = await Promise.all(
      files.map(async (paths) => (await Promise.all(paths.map(readsIn))).reduce((a, b) => a + b, 0)),
    );
    const vcf = await vcfOf(runId);

    expect(analysedWhileLive).toBe(true);
    expect(files.every((paths) => paths.length === 10)).toBe(true);
    expect(outcome.status).toBe('COMPLETED');
    expect(stored.samples).toEqual(
      barcodes.map((barcode, index) => ({ name: barcode, readsAnalysed: written[index] })),
    );
    expect(written).toEqual([1_500, 1_500, 1_500]);
    expect(alarms.log.events.slice(alarmsBefore).some((event) => event.data?.mutationDetected.runId === runId)).toBe(
      true,
    );
    execFileSync('bcftools', ['view', vcf], { stdio: 'ignore' });
    expect(execFileSync('bcftools', ['query', '-l', vcf], { encoding: 'utf8' })).toBe(`${barcodes.join('\n')}\n`);
    for (const [index, barcode] of barcodes.entries()) {
      const analysed = await analyzeSites(barcode, join(runDir, 'reference.fa'), [files[index] ?? []]);
      expect(analysed.length).toBeGreaterThan(0);
      expect(sitesOfSample(vcf, barcode), barcode).toEqual(analysed);
    }
  }, 120_000);

  it('should follow an Illumina run of mate pairs on two lanes, and call each sample as helix analyze does', async () => {
    const name = 'run-illumina';
    const runDir = join(api.inputDir, name);
    const staging = join(scratch, 'illumina');
    const samples = ['tumour', 'normal'];
    await mkdir(runDir, { recursive: true });
    await mkdir(staging, { recursive: true });
    const reference = join(runDir, 'reference.fa');
    // Each sample's 1,200 pairs, simulated aside with its own mutations, are split over two lanes.
    const lanes = new Map<string, Buffer[][]>();
    for (const [index, sample] of samples.entries()) {
      const out = join(staging, `${sample}_1.fastq`);
      const out2 = join(staging, `${sample}_2.fastq`);
      await helix([
        'simulate',
        ...(index === 0 ? ['--reference-length', '8000', '--reference-out', reference] : ['--reference', reference]),
        ...['--reads', '1200', '--out', out, '--out2', out2, '--mutation-rate', '0.003', '--seed', String(21 + index)],
      ]);
      lanes.set(sample, await Promise.all([out, out2].map(async (path) => splitInTwo(await readFile(path, 'utf8')))));
    }
    const runId = await start(name);
    const mates = new Map<string, string[][]>(samples.map((sample) => [sample, [[], []]]));
    // A lane's pair is written aside and moved in whole, as a converter finishes it.
    for (const lane of [0, 1]) {
      for (const [index, sample] of samples.entries()) {
        for (const mate of [0, 1]) {
          const file = `${sample}_S${index + 1}_L00${lane + 1}_R${mate + 1}_001.fastq.gz`;
          await writeFile(join(staging, file), gzipSync(lanes.get(sample)?.[mate]?.[lane] ?? ''));
          await rename(join(staging, file), join(runDir, file));
          mates.get(sample)?.[mate]?.push(join(runDir, file));
        }
      }
      await sleep(1_000);
    }
    await writeFile(join(runDir, 'CopyComplete.txt'), '');
    const outcome = await api.pipeline.whenRunEnds();
    const stored = await samplesOf(runId);
    const vcf = await vcfOf(runId);

    expect(outcome.status).toBe('COMPLETED');
    expect(stored.samples).toEqual(samples.map((sample) => ({ name: sample, readsAnalysed: 2 * 1_200 })));
    execFileSync('bcftools', ['view', vcf], { stdio: 'ignore' });
    expect(execFileSync('bcftools', ['query', '-l', vcf], { encoding: 'utf8' })).toBe(`${samples.join('\n')}\n`);
    for (const sample of samples) {
      const analysed = await analyzeSites(sample, join(runDir, 'reference.fa'), mates.get(sample) ?? []);
      expect(analysed.length).toBeGreaterThan(0);
      expect(sitesOfSample(vcf, sample), sample).toEqual(analysed);
    }
  }, 120_000);
});
