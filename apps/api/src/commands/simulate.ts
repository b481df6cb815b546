import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Reference, simulateToFiles } from '@helix/native';
import { numberFlag } from '../cli/flags.js';
import { createProgress } from '../cli/progress.js';
import { UsageError } from '../cli/usage-error.js';
import { simulateRun } from '../watch/simulated-run.js';

/** Length of the random reference of a simulated run when none is named: a SARS-CoV-2-sized genome. */
const RUN_REFERENCE_LENGTH = 29_903;

/** `helix simulate` usage text. */
export const SIMULATE_USAGE = `usage: helix simulate (--reference ref.fa | --reference-length N --reference-out ref.fa)
                      --reads N --out reads.fq[.gz] [--out2 reads_2.fq[.gz]] [--truth truth.vcf]
                      [--read-length 150] [--mutation-rate 0.001] [--indel-fraction 0.15]
                      [--error-rate 0.001] [--seed S]

       helix simulate --run-dir DIR [--samples 4] [--reads 20000] [--chunk-reads 2000]
                      [--chunk-interval-ms 1000] [--reference ref.fa | --reference-length 29903]
                      [--reference-out DIR/reference.fa] [--read-length 150] [--mutation-rate 0.001]
                      [--indel-fraction 0.15] [--error-rate 0.001] [--seed S]

Writes simulated reads with known mutations. Same seed and flags give byte-identical files.
With --out2, --reads counts pairs.
With --run-dir, writes a MinKNOW-layout run over time instead: each sample (barcode01 …) gets its
own mutations (truth in DIR/truth/<barcode>.vcf); every --chunk-interval-ms one more
fastq_pass/<barcode>/<run>_<n>.fastq.gz per sample (written as *.tmp, then renamed) until each has
--reads reads; final_summary_<run>.txt last. The reference goes to DIR/reference.fa unless
--reference names one.`;

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
      'run-dir': { type: 'string' },
      samples: { type: 'string' },
      'chunk-reads': { type: 'string' },
      'chunk-interval-ms': { type: 'string' },
    },
  });
  if (values['run-dir'] !== undefined) {
    await simulateRunFolder(values['run-dir'], values);
    return;
  }
  for (const flag of ['samples', 'chunk-reads', 'chunk-interval-ms'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --run-dir`);
  }
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

/** `helix simulate --run-dir`: a MinKNOW-layout run written over time, with a truth per sample. */
async function simulateRunFolder(runDir: string, values: Partial<Record<string, string>>): Promise<void> {
  for (const flag of ['out', 'out2', 'truth'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} and --run-dir exclude each other`);
  }
  if (values.reference !== undefined && values['reference-length'] !== undefined) {
    throw new UsageError('--reference and --reference-length exclude each other');
  }
  const seed = numberFlag('seed', values.seed, { integer: true, min: 0 }) ?? 1;
  const samples = numberFlag('samples', values.samples, { integer: true, min: 1, max: 96 }) ?? 4;
  const readsPerSample = numberFlag('reads', values.reads, { integer: true, min: 1 }) ?? 20_000;
  const chunkReads = numberFlag('chunk-reads', values['chunk-reads'], { integer: true, min: 1 }) ?? 2_000;
  const chunkIntervalMs =
    numberFlag('chunk-interval-ms', values['chunk-interval-ms'], { integer: true, min: 0 }) ?? 1_000;
  const readLength = numberFlag('read-length', values['read-length'], { integer: true, min: 1 });
  const mutationRate = numberFlag('mutation-rate', values['mutation-rate'], { min: 0, max: 1 });
  const indelFraction = numberFlag('indel-fraction', values['indel-fraction'], { min: 0, max: 1 });
  const errorRate = numberFlag('error-rate', values['error-rate'], { min: 0, max: 1 });
  const referenceLength = numberFlag('reference-length', values['reference-length'], { integer: true, min: 1 });

  await mkdir(runDir, { recursive: true });
  const reference =
    values.reference !== undefined
      ? await Reference.loadFasta(values.reference)
      : Reference.random(referenceLength ?? RUN_REFERENCE_LENGTH, seed);
  const referenceOut =
    values['reference-out'] ?? (values.reference === undefined ? join(runDir, 'reference.fa') : undefined);
  if (referenceOut !== undefined) reference.writeFasta(referenceOut);

  const progress = createProgress('writing run', 'reads');
  const startedAt = performance.now();
  try {
    const summary = await simulateRun(
      {
        runDir,
        reference,
        samples,
        readsPerSample,
        chunkReads,
        chunkIntervalMs,
        seed,
        ...(readLength !== undefined && { readLength }),
        ...(mutationRate !== undefined && { mutationRate }),
        ...(indelFraction !== undefined && { indelFraction }),
        ...(errorRate !== undefined && { errorRate }),
      },
      (done, total) => progress.update(done, total),
    );
    progress.stop();
    const seconds = (performance.now() - startedAt) / 1000;
    process.stdout.write(
      `wrote run ${runDir}: ${summary.samples.length} samples × ${readsPerSample.toLocaleString('en-US')} reads ` +
        `in ${summary.chunksPerSample} files each (${summary.variants.join(', ')} injected variants; ` +
        `truth in ${join(runDir, 'truth')}${referenceOut ? `, reference ${referenceOut}` : ''}), ` +
        `end marker ${summary.finalSummary}, in ${seconds.toFixed(1)} s\n`,
    );
  } finally {
    progress.stop();
  }
}
