/**
 * The annotation tests' genome (five genes, two of them overlapping) on disk and annotated by the
 * native annotator, so interpretations are tested on the effects live runs carry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotation, type VariantEffect } from '@helix/native';
import type { InterpretableVariant } from '../../../src/interpret/rules.js';
import { toFasta, toGff3 } from '../../annotate/genome-files.js';
import { BASES, CONTIG, GENES } from '../../annotate/test-genome.js';

export { CONTIG };

/** The genome's files and its annotation. */
export interface AnnotatedGenome {
  annotation: Annotation;
  /** FASTA of the genome, for a run whose reference the interpreter rebuilds from `referencePath`. */
  fastaPath: string;
  /** Effects of the VCF-style variant `ref` → `alt` at 1-based `position`. */
  effects(position: number, ref: string, alt: string): VariantEffect[];
  /** `length` reference bases from 1-based `position`. */
  bases(position: number, length?: number): string;
  remove(): Promise<void>;
}

/** Writes the genome as FASTA and GFF3 to a scratch folder and loads the annotation. */
export async function annotatedGenome(): Promise<AnnotatedGenome> {
  const directory = await mkdtemp(join(tmpdir(), 'helix-interpret-genes-'));
  const fastaPath = join(directory, 'genome.fa');
  await writeFile(fastaPath, toFasta(CONTIG, BASES));
  await writeFile(join(directory, 'genes.gff3'), toGff3(CONTIG, BASES, GENES));
  const annotation = await Annotation.load(join(directory, 'genes.gff3'), [
    { name: CONTIG, sequence: Buffer.from(BASES) },
  ]);
  return {
    annotation,
    fastaPath,
    effects: (position, ref, alt) => annotation.annotate(CONTIG, position, ref, alt),
    bases: (position, length = 1) => BASES.slice(position - 1, position - 1 + length),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/**
 * A confirmed call on the genome, annotated: `deleted` bases after the reference base at
 * `position` deleted, else `alt` in its place (or after it, for an insertion starting with it).
 */
export function annotatedCall(
  genome: AnnotatedGenome,
  runId: string,
  site: { position: number; alt?: string; deleted?: number },
  call: Partial<Pick<InterpretableVariant, 'alleleFrequency' | 'depth' | 'quality'>> = {},
): InterpretableVariant {
  const { position, deleted = 0 } = site;
  const ref = genome.bases(position, deleted + 1);
  const alt = deleted > 0 ? ref.slice(0, 1) : (site.alt ?? '');
  const type = deleted > 0 ? 'DELETION' : alt.length > 1 ? 'INSERTION' : 'SNV';
  const alleleFrequency = call.alleleFrequency ?? 0.5;
  const depth = call.depth ?? 60;
  return {
    runId,
    contig: CONTIG,
    position,
    ref,
    alt,
    type,
    depth,
    altCount: Math.round(depth * alleleFrequency),
    alleleFrequency,
    quality: call.quality ?? 60,
    effects: genome.effects(position, ref, alt),
  };
}
