import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The machine's cores, given to helix and to every peer alike. */
export const CORES = availableParallelism();

/**
 * The folder of real reads and published calls: `HELIX_REAL_DATA`, or `../shared/data/real`
 * beside the repository. Throws when it is missing: a real-data check that cannot see its data
 * must fail, not pass by measuring nothing.
 */
export function realDataDirectory(): string {
  const directory = resolve(process.env.HELIX_REAL_DATA ?? resolve(repositoryRoot, '../shared/data/real'));
  if (!existsSync(resolve(directory, 't7-454')) || !existsSync(resolve(directory, 'tmv-iseq'))) {
    throw new Error(
      `real data not found at ${directory} (t7-454/ and tmv-iseq/ expected): set HELIX_REAL_DATA to the folder of breseq's test reads`,
    );
  }
  return directory;
}

/**
 * A real bacterial genome with repeats (rRNA operons, IS elements) for wgsim reads: E. coli 536,
 * 4.94 Mbp, shipped as bowtie's example (Debian `bowtie-examples`); `HELIX_REAL_GENOME` overrides.
 */
export function exampleGenomePath(): string {
  const path = resolve(process.env.HELIX_REAL_GENOME ?? '/usr/share/doc/bowtie/examples/genomes/NC_008253.fna.gz');
  if (!existsSync(path)) {
    throw new Error(`example genome not found at ${path}: apt-get install bowtie-examples (or set HELIX_REAL_GENOME)`);
  }
  return path;
}

/** The built `helix` command. */
export const HELIX_BIN = resolve(repositoryRoot, 'apps/api/bin/helix.js');
