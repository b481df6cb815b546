import { Annotation, type Reference } from '@helix/native';

/**
 * Reads a GenBank or GFF3 annotation onto the contigs of `reference`; rejects naming the file,
 * line or feature.
 */
export function loadAnnotation(
  annotationPath: string,
  reference: Reference,
  geneticCode?: number,
): Promise<Annotation> {
  const contigs = reference.contigs.map(({ name }) => ({ name, sequence: reference.sequence(name) }));
  return Annotation.load(annotationPath, contigs, geneticCode === undefined ? undefined : { geneticCode });
}
