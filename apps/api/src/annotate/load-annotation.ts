import { Annotation, type AnnotationContig, Reference } from '@helix/native';

/** Where the contigs an annotation is placed on come from. */
export type AnnotationReference = { fastaPath: string } | { sequences: readonly AnnotationContig[] };

/** Reads a GenBank or GFF3 annotation onto the reference's contigs; rejects naming the file, line or feature. */
export async function loadAnnotation(
  annotationPath: string,
  reference: AnnotationReference,
  geneticCode?: number,
): Promise<Annotation> {
  let contigs: AnnotationContig[];
  if ('fastaPath' in reference) {
    const fasta = await Reference.loadFasta(reference.fastaPath);
    contigs = fasta.contigs.map(({ name }) => ({ name, sequence: fasta.sequence(name) }));
  } else {
    contigs = reference.sequences.map(({ name, sequence }) => ({ name, sequence }));
  }
  return Annotation.load(annotationPath, contigs, geneticCode === undefined ? undefined : { geneticCode });
}
