/**
 * Mutation detection on real reads: `helix analyze --ploidy 1` against the peers a user would pick
 * instead (bowtie2 --very-sensitive and minimap2 -ax sr, each | samtools sort | bcftools mpileup |
 * bcftools call --ploidy 1), on the same reads in the same run with the machine's cores, each scored per
 * class against breseq's published calls or wgsim's truth (see bench/real/match.ts for the rule).
 *
 *   npm run bench -w @helix/api     (this file alone: npx tsx bench/real-data.ts)
 *
 * Reads ../shared/data/real (HELIX_REAL_DATA overrides) and bowtie's example E. coli genome
 * (Debian bowtie-examples; HELIX_REAL_GENOME overrides).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORES } from './real/config.js';
import { type PreparedDataSet, t7454, tmvIseq, wgsimDataSet } from './real/datasets.js';
import { evaluate } from './real/evaluate.js';
import { formatResults } from './real/report.js';

const dataSets: { name: string; prepare: (directory: string) => Promise<PreparedDataSet> }[] = [
  { name: 't7-454', prepare: t7454 },
  { name: 'tmv-iseq', prepare: tmvIseq },
  {
    name: 'wgsim 150 bp pairs, whole genome',
    prepare: (directory) => wgsimDataSet(directory, { readLength: 150, depth: 30, paired: true, seed: 7 }),
  },
  {
    name: 'wgsim 36 bp single reads, first 1 Mbp',
    prepare: (directory) =>
      wgsimDataSet(directory, { genomeLength: 1_000_000, readLength: 36, depth: 30, paired: false, seed: 7 }),
  },
];

console.log(`# mutation detection on real reads (${CORES} cores for every caller)`);
const root = await mkdtemp(join(tmpdir(), 'helix-bench-real-'));
try {
  for (const [index, { prepare }] of dataSets.entries()) {
    const directory = join(root, String(index));
    await mkdir(directory);
    const dataSet = await prepare(directory);
    console.log(`\n${formatResults(dataSet, await evaluate(dataSet, directory))}`);
    await rm(directory, { recursive: true, force: true });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
