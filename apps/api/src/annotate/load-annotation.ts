import { Annotation } from '@helix/native';
import { loadReference } from './genbank-reference.js';

/**
 * Reads a GenBank or GFF3 annotation onto the contigs of the FASTA or GenBank reference at
 * `referencePath`; rejects naming the file, line or feature.
 */
export async function loadAnnotation(
  annotationPath: string,
  referencePath: string,
  geneticCode?: number,
): Promise<Annotation> {
  const reference = await loadReference(referencePath);
  const contigs = reference.contigs.map(({ name }) => ({ name, sequence: reference.sequence(name) }));
  return Annotation.load(annotationPath, contigs, geneticCode === undefined ? undefined : { geneticCode });
}
