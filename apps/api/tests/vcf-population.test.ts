import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callsForVcf } from '../src/vcf/population.js';
import { type VcfVariant, vcfHeader, vcfRecord, vcfSiteRecord } from '../src/vcf/writer.js';

const dir = mkdtempSync(join(tmpdir(), 'helix-vcf-population-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A population call at `position` (no genotype), 1,000 reads, with the given strands and filters. */
function populationCall(position: number, strands: [number, number, number, number], filters: string[]): VcfVariant {
  const [forwardRefCount, reverseRefCount, forwardAltCount, reverseAltCount] = strands;
  const altCount = forwardAltCount + reverseAltCount;
  return {
    contig: 'chr1',
    position,
    ref: 'A',
    alt: 'G',
    type: 'SNV',
    depth: 1_000,
    altCount,
    alleleFrequency: altCount / 1_000,
    quality: filters.includes('LowQual') ? 12 : 250,
    genotype: null,
    forwardRefCount,
    reverseRefCount,
    forwardAltCount,
    reverseAltCount,
    strandBias: filters.includes('StrandBias') ? 95.2 : 1.3,
    filters,
  };
}

const calls = [
  { ...populationCall(100, [480, 490, 15, 15], []), status: 'CONFIRMED' as const },
  { ...populationCall(200, [470, 500, 30, 0], ['StrandBias']), status: 'CANDIDATE' as const },
  { ...populationCall(300, [490, 490, 12, 8], ['LowQual']), status: 'CANDIDATE' as const },
  { ...populationCall(400, [490, 490, 12, 8], []), status: 'CANDIDATE' as const },
];

/** The columns of one VCF data line. */
const columns = (line: string) => line.trimEnd().split('\t');
/** The columns of each data line of `text`. */
const records = (text: string) => text.trim().split('\n').map(columns);

/** A population VCF of `records`, written to a file. */
function vcfFile(name: string, records: string[]): string {
  const path = join(dir, name);
  const header = vcfHeader({ contigs: [{ name: 'chr1', length: 1_000 }], population: true, sample: 'culture' });
  writeFileSync(path, header + records.join(''));
  return path;
}

describe('population VCF records', () => {
  it('should write per-strand counts, frequency, strand bias and filters', () => {
    const line = columns(vcfRecord(populationCall(100, [480, 490, 15, 15], [])));
    expect(line[6]).toBe('PASS');
    expect(line[7]).toContain(';SB=1.3');
    expect(line.slice(8)).toEqual(['DP:AD:ADF:ADR:AF', '1000:970,30:480,15:490,15:0.03']);
  });

  it('should hold the passing and the filtered calls, and not a candidate no filter names', () => {
    expect(callsForVcf(calls).map((call) => call.position)).toEqual([100, 200, 300]);
  });

  it('should be accepted by bcftools view, and -f PASS should keep exactly the passing calls', () => {
    const path = vcfFile('calls.vcf', callsForVcf(calls).map(vcfRecord));
    const all = records(execFileSync('bcftools', ['view', '-H', path], { encoding: 'utf8' }));
    expect(all.map((line) => line[6])).toEqual(['PASS', 'StrandBias', 'LowQual']);
    const passing = records(execFileSync('bcftools', ['view', '-H', '-f', 'PASS', path], { encoding: 'utf8' }));
    expect(passing.map((line) => line[1])).toEqual(['100']);
    const adf = execFileSync('bcftools', ['query', '-f', '[%ADF %ADR %AF]\\t%INFO/SB\\n', path], { encoding: 'utf8' });
    expect(adf.trim().split('\n')[1]).toBe('470,30 500,0 0.03\t95.2');
  });

  it('should be accepted by bcftools with the position-in-read fraction, 1 where all alternate reads sit at read ends', () => {
    const atReadEnds = { ...populationCall(100, [480, 490, 15, 15], []), readEndFraction: 1 };
    const path = vcfFile('read-ends.vcf', [vcfRecord(atReadEnds)]);
    expect(execFileSync('bcftools', ['query', '-f', '%INFO/RPE\\n', path], { encoding: 'utf8' })).toBe('1\n');
  });

  it('should write a site of several samples with a missing column where one has no call', () => {
    const line = vcfSiteRecord([populationCall(100, [480, 490, 15, 15], []), undefined]);
    expect(columns(line).slice(6)).toEqual([
      'PASS',
      'DP=1000;AF=0.03;TYPE=SNV;SB=1.3',
      'DP:AD:ADF:ADR:AF',
      '1000:970,30:480,15:490,15:0.03',
      '.:.:.:.:.',
    ]);
  });
});
