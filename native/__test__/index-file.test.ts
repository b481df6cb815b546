import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlignerIndex, type AlignerIndexProgress, Reference } from '../index.js';
import { scratchDir } from './helpers.js';

const dir = scratchDir('index-file');

/** A random FASTA of `length` bases, written to `name`, and its reference. */
async function fasta(name: string, length: number): Promise<{ path: string; reference: Reference }> {
  const random = Reference.random(length, 11);
  const path = join(dir, name);
  writeFileSync(path, `>chr1\n${Buffer.from(random.sequence(0)).toString()}\n`);
  return { path, reference: await Reference.loadFasta(path) };
}

describe('the saved aligner index', () => {
  it('should build and save the index beside the reference, reporting progress, then map it', async () => {
    const { path, reference } = await fasta('saved.fa', 200_000);
    const progress: AlignerIndexProgress[] = [];
    const built = await AlignerIndex.build(reference, { referencePath: path }, (p) => progress.push(p));
    expect(built.mapped).toBe(false);
    expect(built.indexFile).toBe(`${path}.hix`);
    expect(existsSync(`${path}.hix`)).toBe(true);
    expect(built.warnings).toEqual([]);
    // Called from the build's threads, the callbacks reach this thread before the promise settles.
    await new Promise((resolve) => setImmediate(resolve));
    expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(['sampling', 'bucketing', 'saving']));
    const mapped = await AlignerIndex.build(reference, { referencePath: path });
    expect(mapped.mapped).toBe(true);
    expect(mapped.memoryBytes).toBe(built.memoryBytes);
    expect(mapped.memoryBytes / mapped.totalLength).toBeLessThan(8);
    built.release();
    mapped.release();
  });

  it('should save the index in indexDir only, when one is given, and map it from there', async () => {
    const { path, reference } = await fasta('elsewhere.fa', 50_000);
    const indexDir = join(dir, 'indexes');
    const built = await AlignerIndex.build(reference, { referencePath: path, indexDir });
    expect(built.indexFile).toMatch(new RegExp(`^${indexDir}/elsewhere\\.fa\\.[0-9a-f]{16}\\.hix$`));
    expect(existsSync(built.indexFile as string)).toBe(true);
    expect(existsSync(`${path}.hix`)).toBe(false);
    const mapped = await AlignerIndex.build(reference, { referencePath: path, indexDir });
    expect(mapped.mapped).toBe(true);
    expect(mapped.indexFile).toBe(built.indexFile);
    built.release();
    mapped.release();
  });

  it('should rebuild the index when the reference file changes, naming why', async () => {
    const { path, reference } = await fasta('changed.fa', 50_000);
    (await AlignerIndex.build(reference, { referencePath: path })).release();
    appendFileSync(path, '>chr2\nACGT\n');
    const changed = await Reference.loadFasta(path);
    const rebuilt = await AlignerIndex.build(changed, { referencePath: path });
    expect(rebuilt.mapped).toBe(false);
    expect(rebuilt.rebuiltBecause).toMatch(/reference file changed/);
    expect(rebuilt.contigs.map((c) => c.name)).toEqual(['chr1', 'chr2']);
    rebuilt.release();
  });

  it('should rebuild a truncated index file with a warning, never trusting it', async () => {
    const { path, reference } = await fasta('truncated.fa', 50_000);
    (await AlignerIndex.build(reference, { referencePath: path })).release();
    truncateSync(`${path}.hix`, Math.floor(statSync(`${path}.hix`).size / 2));
    const rebuilt = await AlignerIndex.build(reference, { referencePath: path });
    expect(rebuilt.mapped).toBe(false);
    expect(rebuilt.warnings.join('\n')).toMatch(/damaged/);
    rebuilt.release();
    expect((await AlignerIndex.build(reference, { referencePath: path })).mapped).toBe(true);
  });
});
