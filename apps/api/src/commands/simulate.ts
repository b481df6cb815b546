import { parseArgs } from 'node:util';
import { simulateToFiles } from '@helix/native';
import { numberFlag } from '../cli/flags.js';
import { createProgress } from '../cli/progress.js';
import { UsageError } from '../cli/usage-error.js';

/** `helix simulate` usage text. */
export const SIMULATE_USAGE = `usage: helix simulate (--reference ref.fa | --reference-length N --reference-out ref.fa)
                      --reads N --out reads.fq[.gz] [--out2 reads_2.fq[.gz]] [--truth truth.vcf]
                      [--read-length 150] [--mutation-rate 0.001] [--indel-fraction 0.15]
                      [--error-rate 0.001] [--seed S]

Writes simulated reads with known mutations. Same seed and flags give byte-identical files.
With --out2, --reads counts pairs.`;

/** Runs `helix simulate`: parses flags, writes the files with a progress bar, prints a summary. */
export async function simulate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      reference: { type: 'string' },
      'reference-length': { type: 'string' },
      'reference-out': { type: 'string' },
      reads: { type: 'string' },
      'read-length': { type: 'string' },
      'mutation-rate': { type: 'string' },
      'indel-fraction': { type: 'string' },
      'error-rate': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      out2: { type: 'string' },
      truth: { type: 'string' },
    },
  });
  if (values.reference === undefined && values['reference-length'] === undefined) {
    throw new UsageError('give --reference ref.fa or --reference-length N');
  }
  if (values.reference !== undefined && values['reference-length'] !== undefined) {
    throw new UsageError('--reference and --reference-length exclude each other');
  }
  if (values['reference-length'] !== undefined && values['reference-out'] === undefined) {
    throw new UsageError('--reference-length needs --reference-out to keep the reference the reads came from');
  }
  const reads = numberFlag('reads', values.reads, { integer: true, min: 1 });
  if (reads === undefined) throw new UsageError('--reads N is required');
  if (values.out === undefined) throw new UsageError('--out reads.fq is required');

  const paired = values.out2 !== undefined;
  const progress = createProgress('simulating', paired ? 'pairs' : 'reads');
  try {
    const summary = await simulateToFiles(
      {
        reads,
        out: values.out,
        ...(values.reference !== undefined && { reference: values.reference }),
        ...(values['reference-length'] !== undefined && {
          referenceLength: numberFlag('reference-length', values['reference-length'], { integer: true, min: 1 }),
        }),
        ...(values['reference-out'] !== undefined && { referenceOut: values['reference-out'] }),
        ...(values.out2 !== undefined && { out2: values.out2 }),
        ...(values.truth !== undefined && { truth: values.truth }),
        readLength: numberFlag('read-length', values['read-length'], { integer: true, min: 1 }),
        mutationRate: numberFlag('mutation-rate', values['mutation-rate'], { min: 0, max: 1 }),
        indelFraction: numberFlag('indel-fraction', values['indel-fraction'], { min: 0, max: 1 }),
        errorRate: numberFlag('error-rate', values['error-rate'], { min: 0, max: 1 }),
        seed: numberFlag('seed', values.seed, { integer: true, min: 0 }),
      },
      ({ done, total }) => progress.update(done, total),
    );
    progress.stop();
    const seconds = summary.elapsedMs / 1000;
    process.stdout.write(
      `simulated ${summary.reads.toLocaleString('en-US')} reads (${summary.bases.toLocaleString('en-US')} bases) ` +
        `from ${summary.referenceLength.toLocaleString('en-US')} bp in ${summary.contigs} contig(s) with ` +
        `${summary.snvs} SNVs, ${summary.insertions} insertions, ${summary.deletions} deletions ` +
        `in ${seconds.toFixed(2)} s (${Math.round(summary.reads / Math.max(seconds, 1e-9)).toLocaleString('en-US')} reads/s)\n`,
    );
  } finally {
    progress.stop();
  }
}
