import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunAnnotation } from '../../src/annotate/run-annotation.js';
import { toGff3 } from './genome-files.js';
import { BASES, CONTIG, GENES } from './test-genome.js';

describe("a run's genes", () => {
  let directory: string;
  const file = (name: string) => join(directory, name);
  const options = () => ({ referencePath: file('ref.fa'), annotationPath: file('genes.gff3') });

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-run-annotation-'));
    await writeFile(file('ref.fa'), `>${CONTIG}\n${BASES}\n`);
    await writeFile(file('genes.gff3'), toGff3(CONTIG, BASES, GENES));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should be read once for two readers of the same unchanged files (helix analyze --db and its pipeline)', async () => {
    const [first, second] = await Promise.all([openRunAnnotation(options()), openRunAnnotation(options())]);
    expect(first.annotation).toBeDefined();
    expect(second.annotation).toBe(first.annotation);
  });

  it('should be read again once the annotation file changes, or under another genetic code', async () => {
    const { annotation: before } = await openRunAnnotation(options());
    await writeFile(file('genes.gff3'), toGff3(CONTIG, BASES, GENES.slice(1)));
    const { annotation: after } = await openRunAnnotation(options());
    expect(after).not.toBe(before);
    expect(after?.featureCount).toBe((before?.featureCount ?? 0) - 1);
    const { annotation: otherCode } = await openRunAnnotation({ ...options(), geneticCode: 4 });
    expect(otherCode).not.toBe(after);
  });
});
