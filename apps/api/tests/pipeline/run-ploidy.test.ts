import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reference } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRunConfigError, parseRunConfig } from '../../src/pipeline/config.js';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { runPloidy } from '../../src/pipeline/ploidy.js';

/** A GenBank entry of `bases` whose LOCUS line gives `division`, with an organism line. */
function genbank(name: string, bases: string, division: string, organism: string): string {
  const rows: string[] = [];
  for (let start = 0; start < bases.length; start += 60) {
    const chunks =
      bases
        .slice(start, start + 60)
        .toLowerCase()
        .match(/.{1,10}/g) ?? [];
    rows.push(`${String(start + 1).padStart(9)} ${chunks.join(' ')}`);
  }
  return (
    `LOCUS       ${name}   ${bases.length} bp    DNA     linear   ${division} 01-JAN-2026\n` +
    `SOURCE      ${organism}\n  ORGANISM  ${organism}\n            .\n` +
    `FEATURES             Location/Qualifiers\nORIGIN\n${rows.join('\n')}\n//\n`
  );
}

describe('the ploidy of a run', () => {
  let directory: string;
  const file = (name: string) => join(directory, name);
  const bases = Reference.random(20_000, 5).sequence(0).toString('latin1');

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-ploidy-'));
    await writeFile(file('bacterium.gbk'), genbank('chromosome', bases, 'BCT', 'Escherichia coli'));
    await writeFile(file('phage.gbk'), genbank('phage', bases, 'UNK', 'Escherichia phage T7'));
    await writeFile(file('plant.gbk'), genbank('chr1', bases, 'PLN', 'Arabidopsis thaliana'));
    await writeFile(file('reference.fa'), `>chromosome\n${bases}\n`);
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should be 1 or 2, and any other value an error naming the field', () => {
    expect(parseRunConfig({ ploidy: 1 }).ploidy).toBe(1);
    expect(parseRunConfig({}).ploidy).toBeUndefined();
    for (const ploidy of [0, 3, 1.5]) {
      expect(() => parseRunConfig({ ploidy })).toThrow(InvalidRunConfigError);
      expect(() => parseRunConfig({ ploidy })).toThrow('ploidy must be 1 (haploid) or 2 (diploid)');
    }
    expect(() => parseRunConfig({ ploidy: 3 })).toThrow(expect.objectContaining({ field: 'ploidy' }));
  });

  it('should default to 1 for a GenBank reference of bacteria or phages and to 2 otherwise', async () => {
    expect(await runPloidy({ referencePath: file('bacterium.gbk') })).toBe(1);
    expect(await runPloidy({ referencePath: file('phage.gbk') })).toBe(1);
    expect(await runPloidy({ referencePath: file('plant.gbk') })).toBe(2);
    expect(await runPloidy({ referencePath: file('reference.fa') })).toBe(2);
    expect(await runPloidy({})).toBe(2);
  });

  it('should take the ploidy it is given over the reference', async () => {
    expect(await runPloidy({ referencePath: file('bacterium.gbk'), ploidy: 2 })).toBe(2);
    expect(await runPloidy({ referencePath: file('reference.fa'), ploidy: 1 })).toBe(1);
  });

  it("should store the ploidy a bacterium's run chose, and call its confirmed variants with genotype 1", async () => {
    const store = new MemoryResultStore();
    const pipeline = new Pipeline({ store, metricsIntervalMs: 50 });
    try {
      const run = await pipeline.start({
        referencePath: file('bacterium.gbk'),
        totalReads: 6_000,
        readsPerSecond: 0,
        workers: 1,
        mutationRate: 0.005,
        seed: 3,
      });
      expect(run.config.ploidy).toBe(1);
      const outcome = await pipeline.whenRunEnds();
      expect(store.runs.get(run.id)?.config).toMatchObject({ ploidy: 1 });
      const confirmed = outcome.calls.filter((call) => call.status === 'CONFIRMED');
      expect(confirmed.length).toBeGreaterThan(10);
      expect(new Set(confirmed.map((call) => call.genotype))).toEqual(new Set(['1']));
    } finally {
      await pipeline.close();
    }
  });
});
