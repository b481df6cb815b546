import { createWriteStream } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { annotateCalls, openRunAnnotation } from '../annotate/run-annotation.js';
import { parseRunFlags, RUN_FLAG_OPTIONS, RUN_FLAGS_HELP, runFlagsSynopsis } from '../cli/run-flags.js';
import { BadInputError, UsageError } from '../cli/usage-error.js';
import { loadConfigWith } from '../env.js';
import { MemoryResultStore } from '../pipeline/memory-store.js';
import { Pipeline } from '../pipeline/pipeline.js';
import type { SampleRecord } from '../pipeline/records.js';
import { callsForVcf } from '../vcf/population.js';
import { multiSampleLines } from '../vcf/samples.js';
import { vcfHeader } from '../vcf/writer.js';

/** `helix watch` usage text. */
export const WATCH_USAGE = `usage: helix watch RUN_DIR --reference ref.fa[.gz]|ref.gbk --vcf out.vcf
                   ${runFlagsSynopsis('                   ')}

Follows a sequencer's run folder as it is written (fastq_pass/<barcode>/, <sample>_S<n>_L<lane>_R1_001
with its R2 mate, or FASTQ files in the folder itself), analysing each file once it is complete
(HELIX_WATCH_SETTLE_MS), until the end marker (final_summary*.txt, CopyComplete.txt, RTAComplete.txt)
or Ctrl-C. Then writes the VCF (--vcf - for stdout) with one column per sample, in first-seen order.
On a terminal, each sample's reads, mapped share and depth show on stderr while the run goes on.
${RUN_FLAGS_HELP}`;

/** Batches of a watched run are large, as analyze's: fewer hand-offs between threads. */
const WATCH_BATCH_SIZE = 4_096;

/** Runs `helix watch`: a run folder and a reference in, a multi-sample VCF out. */
export async function watch(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: RUN_FLAG_OPTIONS,
  });
  const [runDir, ...extra] = positionals;
  if (runDir === undefined) throw new UsageError('give the run folder: helix watch RUN_DIR');
  if (extra.length > 0) throw new UsageError(`helix watch follows one run folder, not ${positionals.length}`);
  if (!values.reference) throw new UsageError('--reference ref.fa is required');
  if (!values.vcf) throw new UsageError('--vcf out.vcf (or - for stdout) is required');
  const { config: callerConfig, geneticCode } = parseRunFlags(values);
  const referencePath = resolve(values.reference);
  const genes = await openRunAnnotation({
    referencePath,
    ...(values.annotation !== undefined && { annotationPath: resolve(values.annotation) }),
    ...(geneticCode !== undefined && { geneticCode }),
  }).catch((error: Error) => {
    throw new BadInputError(error.message);
  });
  if (geneticCode !== undefined && !genes.annotation) {
    throw new UsageError('--genetic-code needs --annotation genes.gff3 (or a GenBank --reference)');
  }

  const folder = resolve(runDir);
  const config = loadConfigWith(values['index-dir'] === undefined ? {} : { HELIX_INDEX_DIR: values['index-dir'] });
  const store = new MemoryResultStore();
  const pipeline = new Pipeline({
    store,
    metricsIntervalMs: 200,
    callIntervalMs: 60_000,
    // The run folder's parent plays HELIX_INPUT_DIR: links out of it are not followed.
    folders: { inputDir: dirname(folder), settleMs: config.watchSettleMs },
    ...(config.indexDir !== undefined && { indexDir: config.indexDir }),
  });
  const display = sampleDisplay();
  const interrupt = () => void pipeline.stop(true).catch(() => undefined);
  let ticker: NodeJS.Timeout | undefined;
  try {
    const run = await pipeline
      .start({
        source: 'DIRECTORY',
        directory: basename(folder),
        referencePath,
        readsPerSecond: 0,
        batchSize: WATCH_BATCH_SIZE,
        highWater: 16,
        lowWater: 4,
        ...callerConfig,
      })
      .catch((error: Error) => {
        throw new BadInputError(error.message);
      });
    process.once('SIGINT', interrupt);
    ticker = setInterval(() => display.show([...store.samples.values()].filter((row) => row.runId === run.id)), 1_000);
    const outcome = await pipeline.whenRunEnds();
    clearInterval(ticker);
    display.clear();
    if (outcome.error) throw new BadInputError(outcome.error);

    const confirmed = outcome.sampleCalls.map(({ calls }) => {
      const kept = callsForVcf(calls);
      return genes.annotation ? annotateCalls(genes.annotation, kept) : kept;
    });
    const out = values.vcf === '-' ? process.stdout : createWriteStream(values.vcf);
    out.write(
      vcfHeader({
        contigs: outcome.contigs,
        reference: referencePath,
        annotated: genes.annotation !== undefined,
        population: callerConfig.mode === 'POPULATION',
        samples: outcome.sampleCalls.map(({ sample }) => sample),
        meta: { helixCommand: `helix watch ${args.join(' ')}` },
      }),
    );
    for (const line of multiSampleLines(confirmed, outcome.contigs)) out.write(line);
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
    process.stderr.write(
      `${outcome.status === 'COMPLETED' ? 'run complete' : 'stopped'}: ` +
        `${outcome.totals.readsAnalysed.toLocaleString('en-US')} reads of ${outcome.samples.length} samples` +
        `${values.vcf === '-' ? '' : ` → ${values.vcf}`}\n`,
    );
    for (const sample of outcome.samples) process.stderr.write(`${sampleLine(sample)}\n`);
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', interrupt);
    await pipeline.close();
  }
}

/** One sample's figures on one line. */
function sampleLine(sample: SampleRecord): string {
  const mapped = sample.readsAnalysed > 0 ? (sample.mappedReads / sample.readsAnalysed) * 100 : 0;
  return (
    `${sample.name}: ${sample.readsAnalysed.toLocaleString('en-US')} reads, ${mapped.toFixed(1)}% mapped, ` +
    `depth ${sample.meanDepth.toFixed(1)}×, ${sample.variantsConfirmed} variants`
  );
}

/** The live per-sample lines on a terminal's stderr, redrawn in place; nothing when stderr is not a terminal. */
function sampleDisplay(): { show(samples: SampleRecord[]): void; clear(): void } {
  let shown = 0;
  const clear = () => {
    if (shown > 0) process.stderr.write(`\x1b[${shown}A\x1b[J`);
    shown = 0;
  };
  if (!process.stderr.isTTY) return { show: () => undefined, clear: () => undefined };
  return {
    show(samples) {
      clear();
      for (const sample of samples) process.stderr.write(`${sampleLine(sample)}\n`);
      shown = samples.length;
    },
    clear,
  };
}
