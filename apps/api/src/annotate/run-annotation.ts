import { stat } from 'node:fs/promises';
import type { Annotation, Reference, VariantEffect } from '@helix/native';
import { bySeverity } from './ann-field.js';
import { type AnnotatableCall, annotateMany, type CallOutcome, callLines } from './annotate-many.js';
import { isGenbank, loadReference } from './genbank-reference.js';
import { loadAnnotation } from './load-annotation.js';

/** The reference and annotation a run reads, from `--reference`, `--annotation` and `--genetic-code`. */
export interface RunAnnotationOptions {
  /** FASTA or GenBank: the pipeline reads either, and the run stores this path. */
  referencePath: string;
  annotationPath?: string | undefined;
  geneticCode?: number | undefined;
}

/** The genes a run annotates its calls with, if any. */
export interface RunAnnotation {
  /** `--annotation`, else the GenBank reference's own features. */
  annotation?: Annotation;
}

/** A run's annotation could not be read; `field` names the input at fault. */
export class AnnotationLoadError extends Error {
  override name = 'AnnotationLoadError';
  constructor(
    message: string,
    readonly field: 'annotationPath' | 'referencePath' | 'geneticCode',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The genes read last, and the files they were read from: `helix analyze --db` reads them for its
 * VCF and messages while its pipeline reads them for the run, and one reading serves both.
 */
let lastRead: { files: string; read: Promise<RunAnnotation> } | undefined;

/**
 * Reads a run's annotation onto the reference at `referencePath` (`reference`, when given, is that
 * file read already); rejects with an {@link AnnotationLoadError} naming the file, line or feature
 * at fault. Files unchanged since the last call (path, size, modification time) are not read again.
 */
export async function openRunAnnotation(options: RunAnnotationOptions, reference?: Reference): Promise<RunAnnotation> {
  const files = await fileIdentity(options);
  if (files !== undefined && lastRead?.files === files) return lastRead.read;
  const read = readRunAnnotation(options, reference);
  if (files !== undefined) lastRead = { files, read };
  return read;
}

/** What names the files of `options` as they are now; undefined when one cannot be read (the read says why). */
async function fileIdentity(options: RunAnnotationOptions): Promise<string | undefined> {
  const paths = [options.referencePath, options.annotationPath].filter((path) => path !== undefined);
  try {
    const stats = await Promise.all(paths.map((path) => stat(path)));
    return JSON.stringify([
      options.geneticCode,
      ...paths.map((path, index) => [path, stats[index]?.size, stats[index]?.mtimeMs]),
    ]);
  } catch {
    return undefined;
  }
}

async function readRunAnnotation(
  options: RunAnnotationOptions,
  reference: Reference | undefined,
): Promise<RunAnnotation> {
  const { referencePath, annotationPath, geneticCode } = options;
  const genesPath = annotationPath ?? ((await isGenbank(referencePath)) ? referencePath : undefined);
  if (genesPath === undefined) return {};
  try {
    return {
      annotation: await loadAnnotation(genesPath, reference ?? (await loadReference(referencePath)), geneticCode),
    };
  } catch (error) {
    const message = (error as Error).message;
    // The annotator names an unknown table `geneticCode: …`; anything else is the file's fault.
    const fileField = annotationPath === undefined ? 'referencePath' : 'annotationPath';
    const field = message.startsWith('geneticCode') ? 'geneticCode' : fileField;
    throw new AnnotationLoadError(message, field, { cause: error });
  }
}

export type { AnnotatableCall } from './annotate-many.js';

/** A call's effects on genes, most severe first; throws when the annotator refuses the call. */
export function callEffects(annotation: Annotation, call: AnnotatableCall): VariantEffect[] {
  const [outcome] = annotateMany(annotation, [call]);
  return bySeverity(effectsOf(outcome));
}

/**
 * Annotates each confirmed call once, all in one crossing to the annotator: its effects and its
 * `INFO/ANN` value. Throws at the first call the annotator refuses.
 */
export function annotateCalls<T extends AnnotatableCall>(
  annotation: Annotation,
  calls: readonly T[],
): (T & { effects: VariantEffect[]; annotation?: string })[] {
  const outcomes = annotateMany(annotation, calls);
  return calls.map((call, index) => {
    const outcome = answered(outcomes[index]);
    const effects = bySeverity(outcome.effects);
    return { ...call, effects, ...(outcome.ann !== undefined && { annotation: outcome.ann }) };
  });
}

/**
 * Each call's `INFO/ANN` value (undefined for a call without effects), in one crossing to the
 * annotator and without effect objects: what a VCF of calls nobody else reads the effects of needs.
 * Throws at the first call the annotator refuses.
 */
export function annFields(annotation: Annotation, calls: readonly AnnotatableCall[]): (string | undefined)[] {
  return annotation.annotateManyAnn(callLines(calls)).map((ann) => (ann === '' ? undefined : ann));
}

/** The effects of an outcome; the annotator's refusal as an error. */
function effectsOf(outcome: CallOutcome | undefined): VariantEffect[] {
  return answered(outcome).effects;
}

/** An outcome with effects; the annotator's refusal as an error. */
function answered(outcome: CallOutcome | undefined): Extract<CallOutcome, { effects: VariantEffect[] }> {
  if (outcome === undefined) throw new Error('the annotator answered fewer calls than it was asked');
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome;
}
