import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELIX_BIN, realDataDirectory } from '../bench/real/config.js';
import { type GenomeDiffRecord, parseGenomeDiff } from '../bench/real/genome-diff.js';

const run = promisify(execFile);

/** One record of helix's population VCF, with the FORMAT values of its one sample. */
interface PopulationRecord {
  position: number;
  ref: string;
  alt: string;
  filter: string;
  info: Map<string, string>;
  format: Map<string, string>;
}

function parseRecords(vcf: string): PopulationRecord[] {
  return vcf
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [, position = '', , ref = '', alt = '', , filter = '', info = '', keys = '', values = ''] =
        line.split('\t');
      const names = keys.split(':');
      const sample = values.split(':');
      return {
        position: Number(position),
        ref,
        alt,
        filter,
        info: new Map(info.split(';').map((entry) => entry.split('=') as [string, string])),
        format: new Map(names.map((name, index) => [name, sample[index] ?? ''])),
      };
    });
}

const alleleFrequency = (record: PopulationRecord) => Number(record.format.get('AF'));
/** `ADF`/`ADR` of the alternate allele (their second value; the first is the reference's). */
const alternateStrands = (record: PopulationRecord) =>
  [record.format.get('ADF'), record.format.get('ADR')].map((counts) => Number(counts?.split(',')[1]));
const deletedSpan = (record: PopulationRecord) => ({
  start: record.position + 1,
  length: -Number(record.info.get('SVLEN')),
});

// The plasmid's molecules mostly lost 10205..17548 (7,344 bp across the 10,411-bp origin); breseq
// (consensus mode) lists that deletion, the 12.6 % polymorphism T>A at 7566 it rejected by its
// frequency cutoff, and a junction 10253~7033 in 38 reads that no mutation of its list explains.
// Figures measured on 2026-12-02: every assertion below is one examined against breseq's list.
describe('real Illumina iSeq pairs of a partly deleted plasmid, called as a population', () => {
  let directory: string;
  let records: PopulationRecord[];
  let breseq: GenomeDiffRecord[];
  let report: string;

  beforeAll(async () => {
    const data = join(realDataDirectory(), 'tmv-iseq');
    directory = await mkdtemp(join(tmpdir(), 'helix-real-population-'));
    const vcf = join(directory, 'population.vcf');
    const reads = [join(data, 'reads_1.fastq.gz'), join(data, 'reads_2.fastq.gz')];
    // The GenBank reference says the plasmid is circular; its sequence is read in place.
    const args = ['analyze', '--mode', 'population', '--reference', join(data, 'reference.gbk'), '--reads', ...reads];
    await run(process.execPath, [HELIX_BIN, ...args, '--vcf', vcf]);
    records = parseRecords(await readFile(vcf, 'utf8'));
    breseq = parseGenomeDiff(await readFile(join(data, 'published-calls.gd'), 'utf8'));
    report = records
      .map((record) => `${record.position} ${record.ref}>${record.alt} AF ${alleleFrequency(record)} ${record.filter}`)
      .join('\n');
    console.log(`helix --mode population on tmv-iseq:\n${report}`);
  }, 600_000);

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const deletions = () => records.filter((record) => record.alt === '<DEL>');

  it("should call breseq's 7,344-bp deletion across the origin exact to ±5 bp, in most of the molecules", () => {
    const published = breseq.find((record) => record.type === 'DEL');
    expect(published?.fields.slice(1)).toEqual(['10205', '7344']);
    const deletion = deletions().find((record) => Math.abs(deletedSpan(record).length - 7344) <= 5);
    expect(deletion, report).toBeDefined();
    expect(Math.abs((deletion ? deletedSpan(deletion).start : 0) - 10205), report).toBeLessThanOrEqual(5);
    expect(deletion?.filter).toBe('PASS');
    // breseq: consensus, junction frequency 0.97. helix's depth at the breakpoint counts the reads that
    // still hold it as reference, among them the minority deletion's (10253~7033, below): 0.89.
    expect(alleleFrequency(deletion as PopulationRecord), report).toBeGreaterThan(0.8);
  });

  it("should see the minority deletion of junction 10253~7033 at breseq's junction frequency, on both strands", () => {
    const junction = breseq.find(
      (record) => record.type === 'JC' && record.fields.join(' ').startsWith('TMV-plasmid 7033 1 TMV-plasmid 10253'),
    );
    expect(junction?.keys.get('new_junction_read_count')).toBe('38');
    const published = Number(junction?.keys.get('frequency'));
    expect(published).toBeCloseTo(0.854, 3);
    // 10254..17443 wraps the origin to end at 7032: the junction joins 10253 to 7033.
    const minority = deletions().find((record) => record.position === 10253);
    expect(minority, report).toBeDefined();
    const { length } = deletedSpan(minority as PopulationRecord);
    expect((10253 + length) % 10411).toBe(7032);
    expect(minority?.filter).toBe('PASS');
    // 10253 lies inside the main deletion: only the few molecules without it still hold the base, and
    // most of those carry this deletion. As breseq does, the frequency is of the reads there (the
    // main deletion's split reads cover their two pieces, not the bases deleted between).
    expect(Math.abs(alleleFrequency(minority as PopulationRecord) - published), report).toBeLessThanOrEqual(0.1);
    for (const strand of alternateStrands(minority as PopulationRecord)) expect(strand).toBeGreaterThanOrEqual(10);
  });

  it("should call breseq's 12.6 % polymorphism T>A at 7566 within two points, passing on both strands", () => {
    const polymorphism = breseq.find(
      (record) => record.type === 'RA' && record.fields.join(' ').startsWith('TMV-plasmid 7566 0 T A'),
    );
    const published = Number(polymorphism?.keys.get('frequency'));
    expect(published).toBeCloseTo(0.126, 3);
    const call = records.find((record) => record.position === 7566 && record.alt === 'A');
    expect(call, report).toBeDefined();
    expect(call?.filter).toBe('PASS');
    expect(Math.abs(alleleFrequency(call as PopulationRecord) - published)).toBeLessThanOrEqual(0.02);
    for (const strand of alternateStrands(call as PopulationRecord)) expect(strand).toBeGreaterThanOrEqual(20);
  });

  it("should make no more calls outside breseq's list than measured, none of them above 12 %", () => {
    // 1565 and 5198, inside the deleted span, are on breseq's list too (in 4 and 6 reads, as here).
    // Outside it today: 7502 (2 %), 7649 (1.5 %) and 7713 (10 %), where breseq lists dozens of rejected
    // 1-2 % junctions and minimap2's alignments disagree (strand-skewed 21 % and 28 %): unresolved;
    // 8842 T>C (1.2 % of 523 reads, minimap2's depth there 551); and at 7137 the 26 bases before the
    // main deletion's breakpoint (10179..10204) read as an insertion by junction reads that begin with
    // them (7.5 %), which minimap2 soft-clips instead.
    const listed = new Set(
      breseq.filter((record) => record.type === 'RA').map((record) => `${record.fields[1]} ${record.fields[4]}`),
    );
    const snvs = records.filter((record) => record.alt !== '<DEL>');
    const outside = snvs.filter((record) => !listed.has(`${record.position} ${record.alt}`));
    expect(outside.length, report).toBeLessThanOrEqual(5);
    for (const record of outside) expect(alleleFrequency(record), report).toBeLessThanOrEqual(0.12);
  });
});
