import { join } from 'node:path';
import { CORES } from '../real/config.js';
import { quote, timedShell } from '../real/run.js';

/** The peers' shared alignment: one sorted, indexed BAM and the wall time it took. */
export interface Alignment {
  bamPath: string;
  seconds: number;
}

/** `minimap2 -ax sr -t <cores> | samtools sort`, then `samtools index`: done once, its time charged to every peer. */
export async function alignOnce(
  referencePath: string,
  reads: readonly string[],
  directory: string,
): Promise<Alignment> {
  const bamPath = join(directory, 'aligned.bam');
  const seconds = await timedShell(
    `minimap2 -t ${CORES} -ax sr ${[referencePath, ...reads].map(quote).join(' ')} 2>/dev/null | ` +
      `samtools sort -@${CORES} -l 1 -o ${quote(bamPath)} - 2>/dev/null && samtools index ${quote(bamPath)}`,
  );
  return { bamPath, seconds };
}
