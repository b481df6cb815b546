import { Reference } from '@helix/native';
import { describe, expect, it } from 'vitest';
import {
  buildConsensus,
  type ConsensusCall,
  ConsensusCallError,
  formatConsensusFasta,
} from '../../src/consensus/index.js';
import { randomSequence } from '../support/wgsim.js';

//                   1        10        20        30
const CHR = 'ACGTACGTTAGCCATGGATCCAGTTGACCTAGGCATTA';
const PLASMID = 'GGGGCCCCAAAATTTT';
const reference = [
  { name: 'chr', sequence: CHR },
  { name: 'plasmid', sequence: PLASMID },
];

/** A confirmed call at `position` of `chr` (its REF read off the reference), at allele frequency `alleleFrequency`. */
function call(position: number, refLength: number, alt: string, alleleFrequency = 0.9, contig = 'chr'): ConsensusCall {
  const sequence = contig === 'chr' ? CHR : PLASMID;
  return {
    contig,
    position,
    ref: sequence.slice(position - 1, position - 1 + refLength),
    alt,
    alleleFrequency,
    status: 'CONFIRMED',
  };
}

const build = (calls: ConsensusCall[], lowDepth: { contig: string; start: number; end: number }[] = []) =>
  buildConsensus({ reference, calls, lowDepth, minDepth: 10, sample: 'S1', referenceName: 'ref.fa' });

describe('the consensus builder', () => {
  it('should substitute SNVs, remove deletions and insert insertions of the majority allele', () => {
    // 5 A>G; 12 CCAT>C (deletes CAT at 13–15); 20 T>TGG (GG after 20).
    const [chr, plasmid] = build([call(5, 1, 'G'), call(12, 4, 'C'), call(20, 1, `${CHR[19]}GG`)]);
    expect(chr?.sequence).toBe(`${CHR.slice(0, 4)}G${CHR.slice(5, 12)}${CHR.slice(15, 20)}GG${CHR.slice(20)}`);
    expect(plasmid?.sequence).toBe(PLASMID);
    expect(chr?.skipped).toEqual([]);
  });

  it('should keep the reference under candidates and minority alleles', () => {
    const candidate = { ...call(5, 1, 'G'), status: 'CANDIDATE' };
    const [chr] = build([candidate, call(8, 1, 'C', 0.5), call(9, 1, 'G', 0.3)]);
    expect(chr?.sequence).toBe(CHR);
  });

  it('should take an allele the caller genotyped on every copy, whatever its allele frequency', () => {
    const haploid = { ...call(8, 1, 'C', 0.43), genotype: '1' };
    const homozygous = { ...call(9, 1, 'G', 0.45), genotype: '1/1' };
    const heterozygous = { ...call(11, 1, 'C', 0.45), genotype: '0/1' };
    const [chr] = build([haploid, homozygous, heterozygous, { ...call(12, 1, 'A', 0.4), genotype: null }]);
    expect(chr?.sequence).toBe(`${CHR.slice(0, 7)}CG${CHR.slice(9)}`);
  });

  it('should write N where the depth is low, and leave out calls anchored there', () => {
    const [chr, plasmid] = build(
      [call(3, 1, 'T'), call(30, 1, 'G')],
      [
        { contig: 'chr', start: 1, end: 4 },
        { contig: 'plasmid', start: 1, end: PLASMID.length },
      ],
    );
    expect(chr?.sequence).toBe(`NNNN${CHR.slice(4, 29)}G${CHR.slice(30)}`);
    expect(chr?.skipped).toEqual([{ call: call(3, 1, 'T'), reason: 'low depth' }]);
    expect(plasmid?.sequence).toBe('N'.repeat(PLASMID.length));
  });

  it('should remove the bases a deletion spans even where they are below the minimum depth', () => {
    const [chr] = build([call(10, 6, 'A')], [{ contig: 'chr', start: 12, end: 20 }]);
    expect(chr?.sequence).toBe(`${CHR.slice(0, 10)}NNNNN${CHR.slice(20)}`);
  });

  it('should apply a symbolic <DEL> from its END, or from the REF it spells out', () => {
    const symbolic = { ...call(4, 1, '<DEL>'), end: 25 };
    expect(build([symbolic])[0]?.sequence).toBe(CHR.slice(0, 4) + CHR.slice(25));
    const spelled = { ...call(4, 22, '<DEL>') };
    expect(build([spelled])[0]?.sequence).toBe(CHR.slice(0, 4) + CHR.slice(25));
    expect(() => build([call(4, 1, '<DEL>')])).toThrow(ConsensusCallError);
  });

  it('should skip a call overlapping one applied before it, whatever order the calls come in', () => {
    const deletion = call(10, 6, 'A'); // deletes 11–15
    const inside = call(12, 1, 'A'); // an SNV in the deleted span
    const insertionInside = call(13, 1, `${CHR[12]}TT`);
    const sameSite = call(10, 1, 'C', 0.6);
    const after = call(16, 1, 'T');
    const calls = [inside, after, insertionInside, deletion, sameSite];
    const [chr] = build(calls);
    // The deletion (at 10, AF 0.9) comes before the SNV at 10 (AF 0.6); both start at 10 but only the
    // SNV replaces base 10 itself, so both apply.
    expect(chr?.sequence).toBe(`${CHR.slice(0, 9)}CT${CHR.slice(16)}`);
    expect(chr?.skipped.map(({ call: skipped, reason }) => [skipped.position, reason])).toEqual([
      [12, 'overlap'],
      [13, 'overlap'],
    ]);
    expect(build([...calls].reverse())).toEqual(build(calls));
  });

  it('should take the likelier of two alleles at one site, and one insertion where two insert', () => {
    const [chr] = build([
      call(7, 1, 'A', 0.55),
      call(7, 1, 'C', 0.7),
      call(20, 1, `${CHR[19]}A`, 0.6),
      call(20, 1, `${CHR[19]}C`, 0.8),
    ]);
    expect(chr?.sequence).toBe(`${CHR.slice(0, 6)}C${CHR.slice(7, 20)}C${CHR.slice(20)}`);
    expect(chr?.skipped.map(({ call: { alt } }) => alt)).toEqual(['A', `${CHR[19]}A`]);
  });

  it('should delete across the origin of a circular contig', () => {
    // REF reads on from the contig's start: 14–16 and 1–2 are deleted.
    const across: ConsensusCall = {
      contig: 'plasmid',
      position: 13,
      ref: `${PLASMID.slice(12)}${PLASMID.slice(0, 2)}`,
      alt: PLASMID[12] as string,
      alleleFrequency: 1,
      status: 'CONFIRMED',
    };
    expect(build([across])[1]?.sequence).toBe(PLASMID.slice(2, 13));
    const symbolic = { ...across, ref: PLASMID[12] as string, alt: '<DEL>', end: PLASMID.length + 2 };
    expect(build([symbolic])[1]?.sequence).toBe(PLASMID.slice(2, 13));
  });

  it('should refuse calls that do not fit the reference', () => {
    expect(() => build([call(5, 1, 'G', 0.9, 'chrX')])).toThrow('contig chrX is not in ref.fa');
    expect(() => build([{ ...call(5, 1, 'G'), ref: 'C' }])).toThrow('chr:5 C>G: the reference reads A there');
    expect(() => build([{ ...call(5, 1, 'G'), position: CHR.length + 1 }])).toThrow('lies outside chr');
  });

  it('should name the sample, the reference and the thresholds in each header, and read a native reference', () => {
    const native = Reference.parseFasta(Buffer.from(`>chr\n${CHR}\n>plasmid\n${PLASMID}\n`), 'inline');
    const records = buildConsensus({
      reference: native,
      calls: [call(5, 1, 'G')],
      lowDepth: [],
      minDepth: 20,
      sample: 'barcode 01',
      referenceName: 'NC_045512.2.fa',
      minAlleleFrequency: 0.75,
    });
    expect(records.map(({ contig }) => contig)).toEqual(['chr', 'plasmid']);
    expect(records[0]?.header).toBe(
      'barcode_01/chr consensus of sample barcode 01 on chr of NC_045512.2.fa; N where depth below 20; ' +
        'alternate allele where allele frequency above 0.75',
    );
    expect(records[0]?.sequence).toBe(`${CHR.slice(0, 4)}G${CHR.slice(5)}`);
    const fasta = formatConsensusFasta(records, 10);
    expect(fasta.split('\n').slice(0, 5)).toEqual([
      `>${records[0]?.header}`,
      'ACGTGCGTTA',
      'GCCATGGATC',
      'CAGTTGACCT',
      'AGGCATTA',
    ]);
    expect(fasta.endsWith(`>${records[1]?.header}\nGGGGCCCCAA\nAATTTT\n`)).toBe(true);
    expect(() => formatConsensusFasta(records, 0)).toThrow('lineWidth');
  });

  it('should equal the haplotype of random non-overlapping variants applied right to left', () => {
    const sequence = randomSequence(20_000, 7);
    let state = 11;
    const next = (bound: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % bound;
    };
    const calls: ConsensusCall[] = [];
    for (let position = 50; position < sequence.length - 50; position += 40 + next(200)) {
      const base = sequence[position - 1] as string;
      const kind = next(3);
      const ref = kind === 1 ? sequence.slice(position - 1, position + next(30)) : base;
      const alt =
        kind === 0
          ? ('ACGT'.replace(base, '')[next(3)] as string)
          : kind === 1
            ? base
            : base + randomSequence(1 + next(12), position);
      if (ref !== alt) calls.push({ contig: 'chr', position, ref, alt, alleleFrequency: 0.9, status: 'CONFIRMED' });
    }
    let haplotype = sequence;
    for (const { position, ref, alt } of [...calls].reverse()) {
      haplotype = haplotype.slice(0, position - 1) + alt + haplotype.slice(position - 1 + ref.length);
    }
    const [record] = buildConsensus({
      reference: [{ name: 'chr', sequence }],
      calls,
      lowDepth: [],
      minDepth: 1,
      sample: 'S',
      referenceName: 'random',
    });
    expect(calls.length).toBeGreaterThan(100);
    expect(record?.skipped).toEqual([]);
    expect(record?.sequence).toBe(haplotype);
  });
});
