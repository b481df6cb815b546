import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circularContigs, genbankSequences, loadReference } from '../../src/annotate/genbank-reference.js';
import { runPloidy } from '../../src/pipeline/ploidy.js';
import { toGenbank } from './genome-files.js';
import { BASES, CONTIG, GENES } from './test-genome.js';

describe('a GenBank reference read for a run', () => {
  let directory: string;
  const file = () => join(directory, 'ref.gbk');

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-genbank-reference-'));
    await writeFile(file(), toGenbank(CONTIG, BASES, GENES));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should be parsed once for its ploidy, its sequence and its circular contigs', async () => {
    const first = await genbankSequences(file());
    expect(await runPloidy({ referencePath: file() })).toBe(1);
    const reference = await loadReference(file());
    expect(await circularContigs(file())).toEqual([]);
    expect(await genbankSequences(file())).toBe(first);
    expect(reference.sequence(CONTIG).toString('latin1')).toBe(BASES.toUpperCase());
  });

  it('should be parsed again once the file changes', async () => {
    const before = await genbankSequences(file());
    await writeFile(file(), toGenbank(CONTIG, BASES.slice(0, 2_000), []).replace(' linear ', ' circular '));
    const after = await genbankSequences(file());
    expect(after).not.toBe(before);
    expect(after[0]?.sequence.length).toBe(2_000);
    expect(await circularContigs(file())).toEqual([CONTIG]);
  });
});
