import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Annotation, VariantEffect } from '@helix/native';
import { annField } from './ann-field.js';
import { isGenbank, writeGenbankAsFasta } from './genbank-reference.js';
import { loadAnnotation } from './load-annotation.js';

/** The reference and annotation a run reads, from `--reference`, `--annotation` and `--genetic-code`. */
export interface RunAnnotationOptions {
  referencePath: string;
  annotationPath?: string;
  geneticCode?: number;
}

/** A run's FASTA reference (a GenBank reference written out as FASTA) and its annotation, if any. */
export interface RunAnnotation {
  /** FASTA the pipeline reads: the reference itself, or its sequences when it is GenBank. */
  fastaPath: string;
  /** Genes to annotate calls with: `--annotation`, else the GenBank reference's own features. */
  annotation?: Annotation;
  /** Removes what was written for the run. */
  close(): Promise<void>;
}

/** Prepares a run's reference and annotation; rejects naming the file, line or feature at fault. */
export async function openRunAnnotation(options: RunAnnotationOptions): Promise<RunAnnotation> {
  const { referencePath, annotationPath, geneticCode } = options;
  if (!(await isGenbank(referencePath))) {
    const annotation = annotationPath
      ? await loadAnnotation(annotationPath, { fastaPath: referencePath }, geneticCode)
      : undefined;
    return { fastaPath: referencePath, annotation, close: async () => {} };
  }
  const directory = await mkdtemp(join(tmpdir(), 'helix-genbank-'));
  const close = () => rm(directory, { recursive: true, force: true });
  try {
    const { fastaPath, sequences } = await writeGenbankAsFasta(referencePath, directory);
    const annotation = await loadAnnotation(annotationPath ?? referencePath, { sequences }, geneticCode);
    return { fastaPath, annotation, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A call as annotation needs it. */
export interface AnnotatableCall {
  contig: string;
  position: number;
  ref: string;
  alt: string;
}

/** Annotates each confirmed call once: its effects and its `INFO/ANN` value. */
export function annotateCalls<T extends AnnotatableCall>(
  annotation: Annotation,
  calls: readonly T[],
): (T & { effects: VariantEffect[]; annotation?: string })[] {
  return calls.map((call) => {
    const effects = annotation.annotate(call.contig, call.position, call.ref, call.alt);
    const ann = annField(call.alt, effects);
    return { ...call, effects, ...(ann !== undefined && { annotation: ann }) };
  });
}
