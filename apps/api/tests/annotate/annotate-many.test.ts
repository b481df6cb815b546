import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation } from '@helix/native';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annField } from '../../src/annotate/ann-field.js';
import { type AnnotatableCall, annotateMany } from '../../src/annotate/annotate-many.js';
import { annFields } from '../../src/annotate/run-annotation.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { serverUrl } from '../support/database.js';
import { toGenbank } from './genome-files.js';
import { BASES, CONTIG, GENES } from './test-genome.js';

/** SNVs, MNVs, insertions and deletions at every 7th base, and a call whose ref is wrong. */
function calls(): AnnotatableCall[] {
  const found: AnnotatableCall[] = [];
  const other = (base: string) => (base === 'A' ? 'C' : 'A');
  for (let position = 2; position + 4 <= BASES.length; position += 7) {
    const at = (length: number) => BASES.slice(position - 1, position - 1 + length);
    const ref = at(1);
    found.push(
      { contig: CONTIG, position, ref, alt: other(ref) },
      { contig: CONTIG, position, ref: at(2), alt: `${other(ref)}${other(at(2)[1] ?? 'A')}` },
      { contig: CONTIG, position, ref, alt: `${ref}GA` },
      { contig: CONTIG, position, ref: at(4), alt: ref },
    );
  }
  found.push({ contig: CONTIG, position: 5, ref: other(BASES[4] ?? 'A'), alt: 'G' });
  return found;
}

describe('annotating many calls at once', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-annotate-many-'));
    await writeFile(join(directory, 'genome.gbk'), toGenbank(CONTIG, BASES, GENES));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should give each call exactly the effects and ANN value, or the refusal, that annotating it alone gives', async () => {
    const annotation = await Annotation.load(join(directory, 'genome.gbk'), [
      { name: CONTIG, sequence: Buffer.from(BASES) },
    ]);
    const all = calls();
    const outcomes = annotateMany(annotation, all);
    expect(outcomes).toHaveLength(all.length);
    const consequences = new Set<string>();
    all.forEach((call, index) => {
      const alone = () => annotation.annotate(call.contig, call.position, call.ref, call.alt);
      const outcome = outcomes[index];
      if (outcome !== undefined && 'error' in outcome) {
        expect(alone).toThrow(outcome.error);
      } else {
        expect(outcome?.effects).toStrictEqual(alone());
        // The annotator's ANN value is the one the effects give, as stored rows' VCFs write it.
        expect(outcome?.ann).toBe(annField(call.alt, alone()));
        for (const effect of outcome?.effects ?? []) consequences.add(effect.consequence);
      }
    });
    const accepted = all.filter((_, index) => !('error' in (outcomes[index] ?? {})));
    expect(annFields(annotation, accepted)).toEqual(
      accepted.map((call) => annField(call.alt, annotation.annotate(call.contig, call.position, call.ref, call.alt))),
    );
    expect(() => annFields(annotation, all)).toThrow(/does not match the reference/);
    expect(outcomes.at(-1)).toEqual({ error: expect.stringMatching(/does not match the reference/) });
    expect([...consequences].sort()).toEqual(
      expect.arrayContaining(['FRAMESHIFT', 'INTERGENIC', 'MISSENSE', 'SYNONYMOUS', 'UPSTREAM']),
    );
  });

  it('should write each effect with its keys in the order PostgreSQL keeps a jsonb value in', async () => {
    const annotation = await Annotation.load(join(directory, 'genome.gbk'), [
      { name: CONTIG, sequence: Buffer.from(BASES) },
    ]);
    // JSON.parse keeps the text's key order, and JSON.stringify writes it back.
    const texts = annotateMany(annotation, calls()).flatMap((outcome) =>
      'effects' in outcome && outcome.effects.length > 0 ? [JSON.stringify(outcome.effects)] : [],
    );
    for (const nested of ['"proteinContext"', '"neighbours"', '"cds"']) expect(texts.join()).toContain(nested);
    const client = new pg.Client(poolConfigFromUrl(serverUrl()));
    await client.connect();
    try {
      const { rows } = await client.query<{ stored: string }>(
        'SELECT effects::jsonb::text AS stored FROM unnest($1::text[]) WITH ORDINALITY AS texts(effects, n) ORDER BY n',
        [texts],
      );
      expect(rows.map(({ stored }) => JSON.stringify(JSON.parse(stored)))).toEqual(texts);
    } finally {
      await client.end();
    }
  });
});
