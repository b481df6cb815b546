import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBcftools } from './annotate/peer-tools.js';
import { runHelix } from './support/process.js';

/** Random bases from a seeded linear congruential generator. */
function randomBases(length: number, seed: number): string {
  let state = seed;
  let bases = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bases += 'ACGT'[(state >>> 16) % 4];
  }
  return bases;
}

function reverseComplement(bases: string): string {
  const complement: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' };
  return [...bases]
    .reverse()
    .map((base) => complement[base])
    .join('');
}

/** Reads of `length` bases every `step` bases around a circular sample, alternating strands, as FASTQ. */
function tiledReads(sample: string, length: number, step: number): string {
  const around = sample + sample;
  const records: string[] = [];
  for (let start = 0; start < sample.length; start += step) {
    const read = around.slice(start, start + length);
    const bases = (start / step) % 2 === 0 ? read : reverseComplement(read);
    records.push(`@read${start}\n${bases}\n+\n${'I'.repeat(length)}\n`);
  }
  return records.join('');
}

/** VCF data lines as [POS, bases deleted (0 for other calls), END]; a `<DEL>` says its length in SVLEN. */
async function records(path: string): Promise<[number, number, number][]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'))
    .map(([, pos = '', , ref = '', alt = '', , , info = '']) => {
      const field = (key: string) => Number(new RegExp(`(?:^|;)${key}=(-?\\d+)`).exec(info)?.[1] ?? Number.NaN);
      const deleted = alt === '<DEL>' ? -field('SVLEN') : Math.max(0, ref.length - alt.length);
      return [Number(pos), deleted, alt === '<DEL>' ? field('END') : Number(pos) + deleted];
    });
}

describe('helix analyze on a circular plasmid', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);
  // An 8 kbp plasmid whose sample lost 7001..8000 and 1..1500: 2,500 bases across the origin.
  const plasmid = randomBases(8_000, 11);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-circular-'));
    await writeFile(file('plasmid.fa'), `>plasmid\n${plasmid.match(/.{1,60}/g)?.join('\n')}\n`);
    const sample = plasmid.slice(1_500, 7_000);
    await writeFile(file('reads.fq'), tiledReads(sample, 150, 5));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const analyze = async (extra: string[], vcf: string) => {
    const helix = runHelix(
      ['analyze', '--reference', file('plasmid.fa'), '--reads', file('reads.fq'), '--vcf', file(vcf), ...extra],
      {},
    );
    expect(await helix.exited, helix.output()).toBe(0);
    return records(file(vcf));
  };

  it('should report the deletion across the origin of a --circular contig, in a VCF bcftools reads', async () => {
    const calls = await analyze(['--circular', 'plasmid'], 'circular.vcf');
    const deletions = calls.filter(([, deleted]) => deleted >= 50);
    expect(deletions).toHaveLength(1);
    const [position = 0, deleted = 0, end = 0] = deletions[0] ?? [];
    // POS is the base before the deletion (7000, or a few before when the breakpoint repeats);
    // END runs past the contig's 8,000 bases, as a span across the origin reads.
    expect(position).toBeGreaterThanOrEqual(6_995);
    expect(position).toBeLessThanOrEqual(7_000);
    expect(deleted).toBe(2_500);
    expect(end).toBe(position + 2_500);
    requireBcftools();
    expect(execFileSync('bcftools', ['view', '-H', file('circular.vcf')], { encoding: 'utf8' })).toContain('<DEL>');
    // bcftools norm checks each REF against the reference: a symbolic deletion's REF is its anchor base.
    execFileSync('bcftools', ['norm', '-f', file('plasmid.fa'), '-o', file('normalised.vcf'), file('circular.vcf')], {
      stdio: 'pipe',
    });
  });

  it('should not join the pieces across the origin of a contig not said to be circular', async () => {
    const calls = await analyze([], 'linear.vcf');
    expect(calls.filter(([, deleted]) => deleted >= 50)).toEqual([]);
  });

  it('should refuse a --circular name that is no contig of the reference', async () => {
    const helix = runHelix(
      [
        'analyze',
        '--reference',
        file('plasmid.fa'),
        '--reads',
        file('reads.fq'),
        '--vcf',
        file('unknown.vcf'),
        '--circular',
        'chromosome',
      ],
      {},
    );
    expect(await helix.exited).not.toBe(0);
    expect(helix.output()).toContain('chromosome');
  });
});
