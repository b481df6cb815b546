import { describe, expect, it } from 'vitest';
import type { Contig } from '../bench/real/fasta.js';
import { parseGenbank } from '../bench/real/genbank.js';
import { expectedEvents, parseGenomeDiff } from '../bench/real/genome-diff.js';
import { compare } from '../bench/real/match.js';
import { scoreComparison } from '../bench/real/score.js';
import { parseVcfCalls } from '../bench/real/vcf-calls.js';
import { parseWgsimTruth } from '../bench/real/wgsim-truth.js';

// A 120-bp circular contig: a homopolymer run of A at 21..26, otherwise a fixed pattern.
const SEQUENCE = `${'ACGTTGCATG'.repeat(2)}AAAAAA${'CGTACGGATC'.repeat(9)}GCTG`;
const PLASMID: Contig = { name: 'p', sequence: SEQUENCE, circular: true };
const reference = new Map([['p', PLASMID]]);

function genbank(sequence: string, locusLength = sequence.length): string {
  const rows: string[] = [];
  for (let start = 0; start < sequence.length; start += 60) {
    const chunks =
      sequence
        .slice(start, start + 60)
        .toLowerCase()
        .match(/.{1,10}/g) ?? [];
    rows.push(`${String(start + 1).padStart(9)} ${chunks.join(' ')}`);
  }
  return `LOCUS       p   ${locusLength} bp    DNA     circular   SYN\nFEATURES             Location/Qualifiers\nORIGIN\n${rows.join('\n')}\n//\n`;
}

const gd = (...lines: string[][]) => lines.map((line) => line.join('\t')).join('\n');
const vcf = (...records: string[]) => records.map((record) => `p\t${record}`).join('\n');

describe('the real-data evaluation', () => {
  it('should read a GenBank ORIGIN as the sequence, with its topology', () => {
    expect(parseGenbank(genbank(SEQUENCE))).toEqual([{ name: 'p', circular: true, sequence: SEQUENCE }]);
  });

  it('should reject a GenBank record whose ORIGIN disagrees with its LOCUS length', () => {
    expect(() => parseGenbank(genbank(SEQUENCE, 121))).toThrow('LOCUS says 121 bp, ORIGIN holds 120');
  });

  it("should read breseq's mutations, a deletion across the origin, and an uncited junction as a minority deletion", () => {
    const records = parseGenomeDiff(
      gd(
        ['SNP', '1', '10', 'p', '5', 'A'],
        ['SUB', '2', '.', 'p', '30', '2', 'TT'],
        ['INS', '3', '.', 'p', '26', 'AA'],
        ['DEL', '4', '11', 'p', '101', '30'],
        ['RA', '10', '.', 'p', '5', '0', 'T', 'A', 'frequency=1'],
        ['JC', '11', '.', 'p', '11', '1', 'p', '100', '-1', '0', 'frequency=1'],
        ['JC', '12', '.', 'p', '60', '1', 'p', '39', '-1', '0', 'frequency=0.2'],
        ['JC', '13', '.', 'p', '80', '1', 'p', '69', '-1', '-5', 'frequency=0.3'],
        ['JC', '14', '.', 'p', '90', '1', 'p', '49', '-1', '0', 'frequency=0.01'],
      ),
    );
    const events = expectedEvents(records, [PLASMID]);
    expect(
      events.map(({ start, ref, alt, class: eventClass, published }) => ({ start, ref, alt, eventClass, published })),
    ).toEqual([
      { start: 5, ref: 'T', alt: 'A', eventClass: 'SNV', published: true },
      { start: 30, ref: 'AC', alt: 'TT', eventClass: 'SUB', published: true },
      { start: 27, ref: '', alt: 'AA', eventClass: 'INDEL', published: true },
      { start: 101, ref: SEQUENCE.slice(100) + SEQUENCE.slice(0, 10), alt: '', eventClass: 'INDEL', published: true },
      { start: 40, ref: SEQUENCE.slice(39, 59), alt: '', eventClass: 'INDEL', published: false },
    ]);
  });

  it("should join wgsim's one-line-per-base deletions and place its insertions after the position", () => {
    const events = parseWgsimTruth('p\t5\tT\tA\t-\np\t40\tC\t-\t-\np\t41\tG\t-\t-\np\t70\t-\tGG\t-\n', [PLASMID]);
    expect(events.map(({ start, ref, alt }) => [start, ref, alt])).toEqual([
      [5, 'T', 'A'],
      [40, 'CG', ''],
      [71, '', 'GG'],
    ]);
  });

  it('should read symbolic deletions and leave out filtered records and alleles the genotype does not carry', () => {
    const calls = parseVcfCalls(
      vcf(
        '20\t.\tGAA\tG\t50\tPASS\t.\tGT\t1',
        '30\t.\tC\tT,G\t50\t.\t.\tGT\t2',
        '50\t.\tA\t<DEL>\t50\tPASS\tSVTYPE=DEL;END=60\tGT\t1',
        '70\t.\tG\tA\t5\tLowQual\t.\tGT\t1',
      ),
      reference,
    );
    expect(calls.map(({ start, ref, alt }) => [start, ref, alt])).toEqual([
      [21, 'AA', ''],
      [30, 'C', 'G'],
      [51, SEQUENCE.slice(50, 60), ''],
    ]);
  });

  it('should match an indel written elsewhere in its homopolymer, a substitution called as a run of SNVs, and an SNV beside a false call', () => {
    const events = expectedEvents(
      parseGenomeDiff(
        gd(
          ['INS', '1', '.', 'p', '26', 'A'],
          ['SUB', '2', '.', 'p', '41', '2', 'TT'],
          ['SNP', '3', '.', 'p', '81', 'A'],
        ),
      ),
      [PLASMID],
    );
    const calls = parseVcfCalls(
      vcf(
        '22\t.\tA\tAA\t50\t.\t.',
        '41\t.\tC\tT\t50\t.\t.',
        '42\t.\tG\tT\t50\t.\t.',
        '81\t.\tC\tA\t50\t.\t.',
        '85\t.\tT\tC\t50\t.\t.',
      ),
      reference,
    );
    const score = scoreComparison(compare(events, calls, [PLASMID]));
    expect(score.found).toBe(3);
    expect(score.falseCalls).toBe(1);
    expect(score.classes.SUB).toMatchObject({ found: 1, precision: 1 });
  });

  it('should match a large deletion across the origin, called as two deletions at the ends of the contig, within ±5 bp', () => {
    const events = expectedEvents(parseGenomeDiff(gd(['DEL', '1', '.', 'p', '91', '60'])), [PLASMID]);
    const calls = parseVcfCalls(vcf('88\t.\tN\t<DEL>\t50\t.\tEND=120', '1\t.\tA\t<DEL>\t50\t.\tEND=33'), reference);
    const score = scoreComparison(compare(events, calls, [PLASMID]));
    expect(score.classes.LARGE_DEL).toMatchObject({ expected: 1, found: 1, precision: 1 });
    const late = parseVcfCalls(vcf('80\t.\tN\t<DEL>\t50\t.\tEND=120', '1\t.\tA\t<DEL>\t50\t.\tEND=30'), reference);
    expect(scoreComparison(compare(events, late, [PLASMID])).classes.LARGE_DEL.found).toBe(0);
  });
});
