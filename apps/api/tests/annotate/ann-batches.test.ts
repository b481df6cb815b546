import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation } from '@helix/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAnnFieldsInBatches } from '../../src/annotate/ann-batches.js';
import type { AnnotatableCall } from '../../src/annotate/annotate-many.js';
import { annFields } from '../../src/annotate/run-annotation.js';
import { toGenbank } from './genome-files.js';
import { BASES, CONTIG, GENES } from './test-genome.js';

/** An SNV at every 5th base and an insertion beside it, with a name to follow each through. */
function calls(): (AnnotatableCall & { name: string })[] {
  const found: (AnnotatableCall & { name: string })[] = [];
  for (let position = 3; position <= BASES.length; position += 5) {
    const ref = BASES[position - 1] ?? 'A';
    found.push(
      { name: `snv-${position}`, contig: CONTIG, position, ref, alt: ref === 'A' ? 'G' : 'A' },
      { name: `ins-${position}`, contig: CONTIG, position, ref, alt: `${ref}T` },
    );
  }
  return found;
}

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const seen: T[][] = [];
  for await (const batch of batches) seen.push(batch);
  return seen;
}

describe('annotating calls a batch ahead of their writing', () => {
  let directory: string;
  let annotation: Annotation;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-ann-batches-'));
    await writeFile(join(directory, 'genome.gbk'), toGenbank(CONTIG, BASES, GENES));
    annotation = await Annotation.load(join(directory, 'genome.gbk'), [{ name: CONTIG, sequence: Buffer.from(BASES) }]);
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should yield every call once, in order, with the ANN value annotating them all at once gives', async () => {
    const all = calls();
    const batches = await collect(withAnnFieldsInBatches(annotation, all, 7));
    expect(batches.map((batch) => batch.length)).toEqual([
      ...Array.from({ length: Math.floor(all.length / 7) }, () => 7),
      ...(all.length % 7 === 0 ? [] : [all.length % 7]),
    ]);
    const yielded = batches.flat();
    expect(yielded.map((call) => call.name)).toEqual(all.map((call) => call.name));
    const expected = annFields(annotation, all);
    expect(yielded.map((call) => call.annotation)).toEqual(expected);
    // The test genome has genes and gaps between them: both kinds of call are met.
    expect(expected.filter((ann) => ann?.includes('missense_variant')).length).toBeGreaterThan(0);
  });

  it('should yield nothing for no calls', async () => {
    expect(await collect(withAnnFieldsInBatches(annotation, [], 4))).toEqual([]);
  });

  it('should reject at the batch holding a call the annotator refuses, after yielding the batches before it', async () => {
    const all = calls().slice(0, 12);
    const wrong = all[9] as AnnotatableCall & { name: string };
    all[9] = { ...wrong, ref: wrong.ref === 'C' ? 'G' : 'C' };
    const yielded: string[] = [];
    await expect(
      (async () => {
        for await (const batch of withAnnFieldsInBatches(annotation, all, 4)) {
          yielded.push(...batch.map((call) => call.name));
        }
      })(),
    ).rejects.toThrow(/does not match the reference/);
    expect(yielded).toEqual(all.slice(0, 8).map((call) => call.name));
  });
});
