import { exampleGenomePath } from '../real/config.js';
import { type Contig, readFasta } from '../real/fasta.js';

/** Which part of the example genome to use as the reference. */
export interface GenomeSlice {
  /** 0-based offset of the first base kept. */
  start: number;
  length: number;
}

/**
 * A slice of the example E. coli genome (bowtie's, see {@link exampleGenomePath}) as one linear
 * contig named by its accession. Throws when the slice runs past the genome's end.
 */
export async function referenceSlice(slice: GenomeSlice): Promise<Contig> {
  const [genome] = await readFasta(exampleGenomePath());
  if (!genome) throw new Error('the example genome holds no contig');
  if (slice.start < 0 || slice.length < 1 || slice.start + slice.length > genome.sequence.length) {
    throw new Error(
      `slice ${slice.start}+${slice.length} does not fit the ${genome.sequence.length}-bp example genome`,
    );
  }
  // NCBI headers read `gi|…|ref|NC_008253.1|`: the accession is the name reports can show.
  const name = /\|ref\|([^|]+)\|/.exec(genome.name)?.[1] ?? genome.name;
  return { name, sequence: genome.sequence.slice(slice.start, slice.start + slice.length), circular: false };
}
