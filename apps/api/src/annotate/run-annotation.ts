import type { Annotation, VariantEffect } from '@helix/native';
import { annField } from './ann-field.js';
import { isGenbank } from './genbank-reference.js';
import { loadAnnotation } from './load-annotation.js';

/** The reference and annotation a run reads, from `--reference`, `--annotation` and `--genetic-code`. */
export interface RunAnnotationOptions {
  /** FASTA or GenBank: the pipeline reads either, and the run stores this path. */
  referencePath: string;
  annotationPath?: string;
  geneticCode?: number;
}

/** The genes a run annotates its calls with, if any. */
export interface RunAnnotation {
  /** `--annotation`, else the GenBank reference's own features. */
  annotation?: Annotation;
}

/** Reads a run's annotation; rejects naming the file, line or feature at fault. */
export async function openRunAnnotation(options: RunAnnotationOptions): Promise<RunAnnotation> {
  const { referencePath, annotationPath, geneticCode } = options;
  const genesPath = annotationPath ?? ((await isGenbank(referencePath)) ? referencePath : undefined);
  if (genesPath === undefined) return {};
  return { annotation: await loadAnnotation(genesPath, referencePath, geneticCode) };
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
