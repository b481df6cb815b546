import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVcf } from '../src/commands/analyze-vcf.js';
import { type VcfVariant, vcfRecord } from '../src/vcf/writer.js';

const call = (position: number): VcfVariant => ({
  contig: 'chr',
  position,
  ref: 'A',
  alt: 'G',
  type: 'SNV',
  depth: 30,
  altCount: 15,
  alleleFrequency: 0.5,
  quality: 60,
  genotype: '0/1',
});

describe("writing helix analyze's VCF", () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-analyze-vcf-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should write the header, then every batch of records in order', async () => {
    const path = join(directory, 'calls.vcf');
    async function* batches() {
      yield [call(1), call(2)];
      yield [];
      yield [call(3)];
    }
    await writeVcf(path, '##fileformat=VCFv4.3\n', batches());
    expect(await readFile(path, 'utf8')).toBe(
      `##fileformat=VCFv4.3\n${[1, 2, 3].map((p) => vcfRecord(call(p))).join('')}`,
    );
  });

  it('should leave no truncated file when its calls fail part-way, and pass the failure on', async () => {
    const path = join(directory, 'failed.vcf');
    async function* batches() {
      yield [call(1)];
      throw new Error('the annotator refused a call');
    }
    await expect(writeVcf(path, '##fileformat=VCFv4.3\n', batches())).rejects.toThrow('the annotator refused a call');
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });
});
