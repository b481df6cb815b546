import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlignerIndex, Detector, Pileup, Producer, Reference } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHelix } from '../support/process.js';
import {
  type PlantedVariant,
  parseWgsimTruth,
  randomSequence,
  requireWgsim,
  runWgsim,
  writeFasta,
} from '../support/wgsim.js';

const CHR_LENGTH = 30_000;
/** wgsim is given only this much of `chr`: the rest has no reads, so its consensus is all N. */
const SIMULATED_CHR = 20_000;
const PLASMID_LENGTH = 5_000;
const READ_LENGTH = 100;
/** ~50× over the 25 kbp wgsim reads from. */
const READ_PAIRS = 6_250;
const MIN_DEPTH = 10;
/** As `helix analyze` batches its reads (the pileup's depth does not depend on it; mate placement is per batch). */
const BATCH_SIZE = 4_096;

/** Parses FASTA text into records of header and upper-case sequence. */
function parseFastaRecords(text: string): { header: string; sequence: string }[] {
  const records: { header: string; sequence: string }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('>')) records.push({ header: line.slice(1), sequence: '' });
    else if (records.length > 0) (records.at(-1) as { sequence: string }).sequence += line.toUpperCase();
  }
  return records;
}

/**
 * The truth haplotype of a contig as a consensus with mask `low` shows it: each reference base,
 * or N where the depth is low; wgsim's variants applied (right to left) except those whose VCF
 * position is below the depth; the bases a deletion removes are gone, masked or not.
 */
function maskedTruth(sequence: string, variants: readonly PlantedVariant[], low: Uint8Array): string {
  const bases = Array.from(sequence, (base, index) => (low[index] ? 'N' : base));
  for (const { position, ref, alt } of [...variants].sort((a, b) => b.position - a.position)) {
    if (low[position - 1]) continue;
    bases.splice(position - 1, ref.length, ...alt);
  }
  return bases.join('');
}

/** Where two sequences first part, with some context: short enough to read in a failure. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at += 1;
  const around = (text: string) => text.slice(Math.max(0, at - 20), at + 40);
  return `lengths ${actual.length} and ${expected.length}; first difference at ${at + 1}: ${around(actual)} vs ${around(expected)}`;
}

/** Each contig's positions (0-based) with depth below `minDepth` in helix's pileup of the mates. */
async function lowDepthMasks(referencePath: string, reads: [string, string], minDepth: number) {
  const reference = Reference.loadFastaSync(referencePath);
  const index = await AlignerIndex.build(reference);
  const pileup = new Pileup(index);
  const detector = new Detector(index);
  const producer = Producer.fastq(reads, { paired: true, batchSize: BATCH_SIZE });
  try {
    for (let batch = await producer.next(); batch; batch = await producer.next()) {
      pileup.add(detector.analyse(batch.bases, batch.qualities, batch.offsets, true).evidence);
    }
  } finally {
    producer.close();
  }
  const masks = new Map(reference.contigs.map(({ name, length }) => [name, new Uint8Array(length)]));
  for (const { contig, start, end } of pileup.lowDepthIntervals(minDepth)) masks.get(contig)?.fill(1, start - 1, end);
  index.release();
  return masks;
}

describe('helix analyze --consensus on wgsim reads', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);
  let contigs: Map<string, string>;
  let planted: PlantedVariant[];

  beforeAll(async () => {
    requireWgsim();
    directory = await mkdtemp(join(tmpdir(), 'helix-consensus-'));
    contigs = new Map([
      ['chr', randomSequence(CHR_LENGTH, 17)],
      ['plasmid', randomSequence(PLASMID_LENGTH, 18)],
    ]);
    await writeFasta(file('ref.fa'), contigs);
    const simulated = new Map(
      [...contigs].map(([name, bases]) => [name, name === 'chr' ? bases.slice(0, SIMULATED_CHR) : bases]),
    );
    await writeFasta(file('simulated.fa'), simulated);
    // Haplotype mode: every variant is on the one haplotype, so the truth is one sequence.
    const truth = await runWgsim([
      '-h',
      ...['-N', String(READ_PAIRS), '-1', String(READ_LENGTH), '-2', String(READ_LENGTH)],
      ...['-e', '0.002', '-r', '0.004', '-R', '0.25', '-X', '0.3', '-S', '5'],
      file('simulated.fa'),
      file('sample_R1.fq'),
      file('sample_R2.fq'),
    ]);
    await writeFile(file('truth.txt'), truth);
    planted = parseWgsimTruth(truth, simulated);
  }, 60_000);

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should write the truth haplotype wherever the depth reaches --min-depth, and N elsewhere', async () => {
    const helix = runHelix(
      [
        'analyze',
        ...['--reference', file('ref.fa'), '--reads', file('sample_R1.fq'), file('sample_R2.fq')],
        ...['--vcf', file('sample.vcf'), '--consensus', file('sample.fa'), '--min-depth', String(MIN_DEPTH)],
        ...['--ploidy', '1'],
      ],
      {},
    );
    expect(await helix.exited, helix.output()).toBe(0);
    expect(helix.output()).toMatch(/consensus: 2 records, [\d.]+% of [\d,]+ bases called/);

    const records = parseFastaRecords(await readFile(file('sample.fa'), 'utf8'));
    expect(records.map(({ header }) => header.split(' ')[0])).toEqual(['sample/chr', 'sample/plasmid']);
    for (const { header } of records) {
      expect(header).toContain('consensus of sample sample');
      expect(header).toContain('ref.fa');
      expect(header).toContain(`N where depth below ${MIN_DEPTH}`);
      expect(header).toContain('allele frequency above 0.5');
    }

    const masks = await lowDepthMasks(file('ref.fa'), [file('sample_R1.fq'), file('sample_R2.fq')], MIN_DEPTH);
    const kinds = new Set(planted.map(({ type }) => type));
    expect([...kinds].sort()).toEqual(['DELETION', 'INSERTION', 'SNV']);
    let variantsShown = 0;
    for (const [index, name] of ['chr', 'plasmid'].entries()) {
      const sequence = contigs.get(name) as string;
      const low = masks.get(name) as Uint8Array;
      const variants = planted.filter(({ contig }) => contig === name);
      variantsShown += variants.filter(({ position }) => !low[position - 1]).length;
      expect(
        firstDifference(records[index]?.sequence ?? '', maskedTruth(sequence, variants, low)),
        name,
      ).toBeUndefined();
    }
    expect(variantsShown).toBeGreaterThan(60);

    // The mask is where the reads are: the unsimulated end of chr entirely, little besides.
    const chrMask = masks.get('chr') as Uint8Array;
    expect(chrMask.subarray(SIMULATED_CHR + READ_LENGTH).every((bit) => bit === 1)).toBe(true);
    const maskedWithinReads =
      chrMask.subarray(0, SIMULATED_CHR).reduce((sum, bit) => sum + bit, 0) +
      (masks.get('plasmid') as Uint8Array).reduce((sum, bit) => sum + bit, 0);
    expect(maskedWithinReads).toBeGreaterThan(0);
    expect(maskedWithinReads).toBeLessThan((SIMULATED_CHR + PLASMID_LENGTH) * 0.02);
  });

  it('should write the same consensus without a VCF, and refuse a run that asks for neither', async () => {
    const common = ['--reference', file('ref.fa'), '--reads', file('sample_R1.fq'), file('sample_R2.fq')];
    const alone = runHelix(
      ['analyze', ...common, '--consensus', file('alone.fa'), '--min-depth', String(MIN_DEPTH), '--ploidy', '1'],
      {},
    );
    expect(await alone.exited, alone.output()).toBe(0);
    expect(await readFile(file('alone.fa'), 'utf8')).toBe(await readFile(file('sample.fa'), 'utf8'));

    const neither = runHelix(['analyze', ...common], {});
    expect(await neither.exited).toBe(2);
    expect(neither.output()).toContain('--consensus out.fa');
  });
});
