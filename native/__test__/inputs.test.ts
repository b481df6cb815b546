import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Producer, ReadSimulator, Reference, simulateToFiles } from '../index.js';
import { scratchDir } from './helpers.js';

const dir = scratchDir('inputs');

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('references', () => {
  it('should load plain and gzip FASTA with any line width, lower case and N runs', async () => {
    const text = '>chr1 description\nacgtNN\nNNAC\n>chr2\r\nGGGGGGGGGGGGTTTT\r\n';
    for (const path of [write('ref.fa', text), write('ref.fa.gz', gzipSync(text))]) {
      const reference = await Reference.loadFasta(path);
      expect(reference.contigs).toEqual([
        { name: 'chr1', length: 10 },
        { name: 'chr2', length: 16 },
      ]);
      expect(reference.sequence('chr1').toString()).toBe('ACGTNNNNAC');
      expect(reference.sequence(1).toString()).toBe('GGGGGGGGGGGGTTTT');
      expect(reference.totalLength).toBe(26);
    }
  });

  it.each([
    ['an empty file', '', 'the file is empty'],
    ['a non-FASTA file', 'hello world\n', "line 1: expected a '>' header before any sequence; is it FASTA?"],
    ['a FASTQ file', '@r1\nACGT\n+\nIIII\n', "line 1: expected a '>' header before any sequence; is it FASTA?"],
    ['a bad character', '>c\nACGT\nAC*T\n', "line 3, column 3: invalid character '*' in sequence"],
    ['a sequence without bases', '>a\n>b\nACGT\n', "line 1: sequence 'a' has no bases"],
  ])('should reject %s, naming the file', async (_, text, problem) => {
    const path = write('bad.fa', text);
    await expect(Reference.loadFasta(path)).rejects.toThrow(`${path}: ${problem}`);
    expect(() => Reference.loadFastaSync(path)).toThrow(`${path}: ${problem}`);
    await expect(simulateToFiles({ reference: path, reads: 1, out: join(dir, 'x.fq') })).rejects.toThrow(
      `${path}: ${problem}`,
    );
  });

  it('should name an unreadable reference', async () => {
    const missing = join(dir, 'missing.fa');
    await expect(Reference.loadFasta(missing)).rejects.toThrow(`${missing}: No such file`);
    await expect(simulateToFiles({ reference: missing, reads: 1, out: join(dir, 'x.fq') })).rejects.toThrow(missing);
  });

  it('should name an output that cannot be written', async () => {
    const out = join(dir, 'no-such-dir', 'reads.fq');
    await expect(simulateToFiles({ referenceLength: 1000, reads: 1, out })).rejects.toThrow(`${out}: No such file`);
  });
});

describe('options', () => {
  const reference = Reference.random(1000, 1);
  const sample = reference.mutate();

  it('should refuse a read length longer than the reference', async () => {
    expect(() => new ReadSimulator(sample, { readLength: 1100 })).toThrow(
      "readLength: 1100 is longer than the reference (longest sequence 'random' has 1000 bases)",
    );
    await expect(simulateToFiles({ referenceLength: 100, reads: 1, out: join(dir, 'x.fq') })).rejects.toThrow(
      'readLength: 150 is longer than the reference',
    );
  });

  it.each([
    ['mutationRate', 1.5],
    ['mutationRate', -0.1],
    ['indelFraction', 2],
    ['errorRate', -1],
    ['errorRate', Number.NaN],
  ])('should refuse %s = %d outside [0, 1]', async (name, value) => {
    const message = `${name}: must be a rate between 0 and 1, got`;
    await expect(
      simulateToFiles({ referenceLength: 1000, reads: 1, out: join(dir, 'x.fq'), [name]: value }),
    ).rejects.toThrow(message);
    if (name === 'errorRate') {
      expect(() => new ReadSimulator(sample, { errorRate: value })).toThrow(message);
      expect(() => Producer.simulated(sample, { errorRate: value })).toThrow(message);
    } else {
      expect(() => reference.mutate({ [name]: value })).toThrow(message);
    }
  });

  it('should refuse impossible counts and seeds', async () => {
    expect(() => Reference.random(0, 1)).toThrow('referenceLength: must be a whole number');
    expect(() => Reference.random(10, -1)).toThrow('seed: must be a whole number');
    expect(() => Reference.random(10, 1.5)).toThrow('seed: must be a whole number');
    expect(() => new ReadSimulator(sample, { readLength: 0 })).toThrow('readLength: must be a whole number');
    expect(() => Producer.simulated(sample, { batchSize: 0 })).toThrow('batchSize: must be a whole number');
    expect(() => Producer.simulated(sample, { readsPerSecond: -5 })).toThrow('readsPerSecond: must be 0');
    await expect(simulateToFiles({ reads: 1, out: join(dir, 'x.fq') })).rejects.toThrow(
      'reference: give a FASTA file or referenceLength',
    );
    await expect(simulateToFiles({ referenceLength: 1000, reads: -1, out: join(dir, 'x.fq') })).rejects.toThrow(
      'reads: must be a whole number',
    );
  });
});
