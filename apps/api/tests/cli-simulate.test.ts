import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHelix } from './support/process.js';

describe('helix simulate', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-simulate-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const simulateInto = async (name: string, extra: string[] = []) => {
    const file = (suffix: string) => join(directory, `${name}${suffix}`);
    const helix = runHelix(
      [
        'simulate',
        '--reference-length',
        '50000',
        '--reference-out',
        file('.fa'),
        '--reads',
        '2000',
        '--out',
        file('_1.fq.gz'),
        '--out2',
        file('_2.fq.gz'),
        '--truth',
        file('.vcf'),
        '--seed',
        '11',
        ...extra,
      ],
      {},
    );
    expect(await helix.exited).toBe(0);
    return { output: helix.output(), file };
  };

  it('should write byte-identical reference, reads and truth for the same seed and flags', async () => {
    const first = await simulateInto('a');
    const second = await simulateInto('b');
    for (const suffix of ['.fa', '_1.fq.gz', '_2.fq.gz', '.vcf']) {
      expect(await readFile(first.file(suffix))).toEqual(await readFile(second.file(suffix)));
    }
    expect(first.output).toMatch(/simulated 4,000 reads/);
  });

  it('should write a VCF 4.3 truth with one record per injected mutation', async () => {
    const { file, output } = await simulateInto('c', ['--mutation-rate', '0.002']);
    const vcf = await readFile(file('.vcf'), 'utf8');
    expect(vcf.startsWith('##fileformat=VCFv4.3\n')).toBe(true);
    const records = vcf.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const [, snvs, insertions, deletions] = /with (\d+) SNVs, (\d+) insertions, (\d+) deletions/.exec(output) ?? [];
    expect(records.length).toBe(Number(snvs) + Number(insertions) + Number(deletions));
    expect(records.length).toBeGreaterThan(50);
  });

  it('should exit 2 naming the flag for a rate outside [0, 1]', async () => {
    const helix = runHelix(
      ['simulate', '--reference-length', '1000', '--reference-out', join(directory, 'r.fa'), '--reads', '5'],
      {},
    );
    expect(await helix.exited).toBe(2);
    expect(helix.output()).toContain('--out');
    const rate = runHelix(
      ['simulate', '--reference-length', '1000', '--reference-out', join(directory, 'r.fa'), '--reads', '5'].concat([
        '--out',
        join(directory, 'x.fq'),
        '--mutation-rate',
        '1.5',
      ]),
      {},
    );
    expect(await rate.exited).toBe(2);
    expect(rate.output()).toContain('--mutation-rate must be between 0 and 1');
  });

  it('should exit 1 naming the file for a missing or non-FASTA reference', async () => {
    const missing = runHelix(
      ['simulate', '--reference', join(directory, 'absent.fa'), '--reads', '5', '--out', 'x'],
      {},
    );
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('absent.fa');
    const notFasta = join(directory, 'notes.txt');
    await writeFile(notFasta, 'these are not sequences\n');
    const wrong = runHelix(['simulate', '--reference', notFasta, '--reads', '5', '--out', join(directory, 'y.fq')], {});
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toContain('notes.txt');
  });
});
