import { basename } from 'node:path';
import type { RunConfig } from './config.js';

/** The name of a sample with no reads file to name it after (a simulated run). */
const UNNAMED_SAMPLE = 'sample';

/**
 * The name of a run's sample: `sampleName` when given, else a DIRECTORY run's folder name, else the first reads file's name without its `_R1…` mate
 * suffix and its FASTQ/gzip extensions (`ecoli_S1_L001_R1_001.fastq.gz` → `ecoli_S1_L001`).
 */
export function runSampleName(config: Pick<RunConfig, 'sampleName' | 'readsPaths' | 'directory'>): string {
  if (config.sampleName) return config.sampleName;
  if (config.directory) return basename(config.directory);
  const first = config.readsPaths?.[0];
  if (!first) return UNNAMED_SAMPLE;
  const file = basename(first)
    .replace(/\.gz$/i, '')
    .replace(/\.(fastq|fq)$/i, '');
  return file.replace(/_R[12](?:[_.].*)?$/, '') || file;
}
