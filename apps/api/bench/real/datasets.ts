import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { bowtie2, type Caller, minimap2 } from './callers.js';
import { exampleGenomePath, realDataDirectory } from './config.js';
import type { ExpectedEvent } from './events.js';
import { type Contig, readFasta, writeFasta } from './fasta.js';
import { parseGenbank } from './genbank.js';
import { expectedEvents, parseGenomeDiff } from './genome-diff.js';
import { quote, timedShell } from './run.js';
import { parseWgsimTruth } from './wgsim-truth.js';

/** A data set ready to run: reference as FASTA (faidx-indexed), reads, expected events, peers. */
export interface PreparedDataSet {
  name: string;
  description: string;
  contigs: Contig[];
  referencePath: string;
  reads: string[];
  readCount: number;
  expected: ExpectedEvent[];
  peers: Caller[];
}

/** Counts the records of a FASTQ file (plain or gzip). */
export async function countReads(path: string): Promise<number> {
  const stream = createReadStream(path);
  const lines = createInterface({ input: path.endsWith('.gz') ? stream.pipe(createGunzip()) : stream });
  let count = 0;
  for await (const _ of lines) count += 1;
  return count / 4;
}

async function writeReference(workDirectory: string, contigs: Contig[]): Promise<string> {
  const referencePath = join(workDirectory, 'reference.fa');
  await writeFasta(referencePath, contigs);
  await timedShell(`samtools faidx ${quote(referencePath)}`);
  return referencePath;
}

/** T7-derived phage, Roche 454 single reads (~345 bp): breseq's 41 events. */
export async function t7454(workDirectory: string): Promise<PreparedDataSet> {
  const folder = join(realDataDirectory(), 't7-454');
  const contigs = await readFasta(join(folder, 'reference.fa'));
  const reads = [join(folder, 'reads.fastq.gz')];
  return {
    name: 't7-454',
    description: 'T7 phage, Roche 454 single reads, breseq calls',
    contigs,
    referencePath: await writeReference(workDirectory, contigs),
    reads,
    readCount: await countReads(reads[0] as string),
    expected: expectedEvents(parseGenomeDiff(await readFile(join(folder, 'published-calls.gd'), 'utf8')), contigs),
    peers: [bowtie2('local'), minimap2],
  };
}

/** A circular plasmid, Illumina iSeq 150 bp pairs: a 7,344-bp deletion across the origin, and a minority one. */
export async function tmvIseq(workDirectory: string): Promise<PreparedDataSet> {
  const folder = join(realDataDirectory(), 'tmv-iseq');
  const contigs = parseGenbank(await readFile(join(folder, 'reference.gbk'), 'utf8'));
  const reads = [join(folder, 'reads_1.fastq.gz'), join(folder, 'reads_2.fastq.gz')];
  return {
    name: 'tmv-iseq',
    description: 'circular plasmid, Illumina iSeq 150 bp pairs, breseq calls',
    contigs,
    referencePath: await writeReference(workDirectory, contigs),
    reads,
    readCount: (await countReads(reads[0] as string)) * 2,
    expected: expectedEvents(parseGenomeDiff(await readFile(join(folder, 'published-calls.gd'), 'utf8')), contigs),
    peers: [bowtie2('end-to-end'), minimap2],
  };
}

/** How much of the example genome to simulate from, and how. */
export interface WgsimOptions {
  /** Bases of the genome's first contig to keep (all of it when undefined). */
  genomeLength?: number;
  readLength: number;
  depth: number;
  /** Paired reads (both files) or only the first mate's file. */
  paired: boolean;
  seed: number;
}

/**
 * wgsim reads (Debian samtools) from the example genome, haploid (`-h`): 0.1 % mutations, 15 % of
 * them indels, 0.2 % sequencing errors; the truth is wgsim's own list of what it planted.
 */
export async function wgsimDataSet(workDirectory: string, options: WgsimOptions): Promise<PreparedDataSet> {
  const [genome] = await readFasta(exampleGenomePath());
  if (!genome) throw new Error('the example genome holds no contig');
  // NCBI headers read `gi|…|ref|NC_008253.1|`: the accession is the name reports can show.
  const name = /\|ref\|([^|]+)\|/.exec(genome.name)?.[1] ?? genome.name;
  const sequence = genome.sequence.slice(0, options.genomeLength ?? genome.sequence.length);
  const contigs = [{ name, sequence, circular: false }];
  const referencePath = await writeReference(workDirectory, contigs);
  const length = contigs[0]?.sequence.length ?? 0;
  const pairs = Math.round((options.depth * length) / (options.readLength * (options.paired ? 2 : 1)));
  const first = join(workDirectory, 'reads_1.fq');
  const second = join(workDirectory, 'reads_2.fq');
  const truth = join(workDirectory, 'truth.txt');
  await timedShell(
    `wgsim -h -S ${options.seed} -N ${pairs} -1 ${options.readLength} -2 ${options.readLength} ` +
      `-r 0.001 -R 0.15 -e 0.002 ${[referencePath, first, second].map(quote).join(' ')} > ${quote(truth)} 2>/dev/null`,
  );
  const reads = options.paired ? [first, second] : [first];
  const shortReads = options.readLength < 100;
  return {
    name: `wgsim-${options.readLength}${options.paired ? 'x2' : ''}`,
    description: `${name} ${(length / 1e6).toFixed(2)} Mbp, wgsim ${options.readLength} bp ${options.paired ? 'pairs' : 'single'}, ${options.depth}x`,
    contigs,
    referencePath,
    reads,
    readCount: pairs * reads.length,
    expected: parseWgsimTruth(await readFile(truth, 'utf8'), contigs),
    // minimap2 -ax sr maps almost none of a 35-50 bp read set: bowtie2 is the peer there.
    peers: shortReads ? [bowtie2('end-to-end')] : [bowtie2('end-to-end'), minimap2],
  };
}
