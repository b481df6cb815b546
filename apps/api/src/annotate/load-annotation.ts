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
  return Annotation.loadOnto(annotationPath, reference, geneticCode === undefined ? undefined : { geneticCode });
}
