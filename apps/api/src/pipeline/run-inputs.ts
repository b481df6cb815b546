import { AlignerIndex, type Annotation, Producer, Reference } from '@helix/native';
import { circularContigs, loadReference } from '../annotate/genbank-reference.js';
import { openRunAnnotation } from '../annotate/run-annotation.js';
import { RunFolderWatcher, type TakenStamp } from '../watch/index.js';
import { InvalidRunConfigError, type RunConfig } from './config.js';
import type { BatchDetectors } from './detector.js';
import { type DirectoryLedger, DirectoryReadSource } from './directory-source.js';
import { ProducerReadSource, type RunReadSource } from './read-source.js';
import type { RunServices } from './run-services.js';
import { runSampleName } from './sample-name.js';

/** What a run needs before its first batch: reference, annotation, index, read source and detectors. */
export interface RunInputs {
  reference: Reference;
  /** The genes confirmed calls are annotated with: `annotationPath`, else a GenBank reference's own. */
  annotation: Annotation | undefined;
  index: AlignerIndex;
  /** The run's read source, once its file ledger (DIRECTORY runs) is known; call once. */
  openReads(ledger: DirectoryLedger): RunReadSource;
  detectors: BatchDetectors;
  /** Closes the read source and the detectors and releases the index (at the run's end). */
  release(): Promise<void>;
}

/** How the pipeline may follow run folders (DIRECTORY runs): `HELIX_INPUT_DIR` and the watcher's timings. */
export interface RunFolderAccess {
  inputDir: string;
  settleMs: number;
  pollIntervalMs?: number;
}

/** What a resumed DIRECTORY run carries over: the files it took before, and its next batch number. */
export interface ResumedReads {
  /** The paths it took, with their size and modification time, so a later change is warned of. */
  taken: ReadonlyMap<string, TakenStamp>;
  firstSequence: number;
  /** The samples of the files it took, in first-seen order. */
  samples: readonly string[];
}

/** Opens a run's detectors once its reference and index exist. */
export type OpenDetectors = (reference: Reference, index: AlignerIndex) => Promise<BatchDetectors>;

/** The contigs a run joins across their origin: a GenBank reference's circular ones and the config's `circular`. */
export async function runCircularContigs(config: Pick<RunConfig, 'referencePath' | 'circular'>): Promise<string[]> {
  return [...(config.referencePath ? await circularContigs(config.referencePath) : []), ...(config.circular ?? [])];
}

/**
 * The aligner index of a run's reference: for a reference read from a file, mapped from the index
 * saved in `indexDir`, else beside it as `<referencePath>.hix` (else in the user's cache directory),
 * built and saved there the first time or when the file changed, so a large genome is indexed
 * once. Problems with the saved file are warnings, not errors.
 */
export async function buildRunIndex(
  reference: Reference,
  circular: string[],
  referencePath: string | undefined,
  indexDir?: string,
): Promise<AlignerIndex> {
  const index = await AlignerIndex.build(reference, {
    circular,
    ...(referencePath !== undefined && { referencePath }),
    ...(indexDir !== undefined && { indexDir }),
  });
  for (const warning of index.warnings) process.emitWarning(warning, 'AlignerIndexWarning');
  return index;
}

/** The random reference a run's length and seed define; the same spec rebuilds the same genome anywhere. */
export function randomReference(spec: Pick<RunConfig, 'referenceLength' | 'seed'>): Reference {
  return Reference.random(spec.referenceLength, spec.seed);
}

/**
 * Acquires a run's inputs in order — reference, then annotation and index together, read source,
 * detectors (ready) — and, when a step throws, releases what the steps before it acquired before
 * passing the error on. A bad annotation fails before the run's row exists.
 */
export async function acquireRunInputs(
  config: RunConfig,
  openDetectors: OpenDetectors,
  services?: Pick<RunServices, 'folders' | 'indexDir'>,
  resumed?: ResumedReads,
): Promise<RunInputs> {
  const releases: (() => void | Promise<void>)[] = [];
  try {
    const reference = config.referencePath ? await loadReference(config.referencePath) : randomReference(config);
    // Both are read off the main thread, so the genes take no time of their own: the index takes longer.
    const [annotationRead, indexBuilt] = await Promise.allSettled([
      openAnnotation(config, reference),
      runCircularContigs(config).then((circular) =>
        buildRunIndex(reference, circular, config.referencePath, services?.indexDir),
      ),
    ]);
    if (indexBuilt.status === 'fulfilled') releases.push(() => indexBuilt.value.release());
    if (annotationRead.status === 'rejected') throw annotationRead.reason;
    if (indexBuilt.status === 'rejected') throw indexBuilt.reason;
    const annotation = annotationRead.value;
    const index = indexBuilt.value;
    const reads = await openReads(config, reference, services?.folders, resumed);
    releases.push(() => reads.close());
    const detectors = await openDetectors(reference, index);
    releases.push(() => detectors.close());
    await detectors.ready();
    let source: RunReadSource | undefined;
    return {
      reference,
      annotation,
      index,
      openReads(ledger) {
        source =
          reads instanceof RunFolderWatcher
            ? new DirectoryReadSource(reads, config, ledger, resumed?.firstSequence, resumed?.samples)
            : new ProducerReadSource(reads, runSampleName(config));
        return source;
      },
      detectors,
      async release() {
        (source ?? reads).close();
        await detectors.close();
        index.release();
      },
    };
  } catch (error) {
    await releaseInReverse(releases, error);
    throw error;
  }
}

/** The run's annotation, if it has one; `geneticCode` without one is refused, not ignored. */
async function openAnnotation(config: RunConfig, reference: Reference): Promise<Annotation | undefined> {
  const { annotation } = config.referencePath
    ? await openRunAnnotation(
        { referencePath: config.referencePath, annotationPath: config.annotationPath, geneticCode: config.geneticCode },
        reference,
      )
    : {};
  if (!annotation && config.geneticCode !== undefined) {
    throw new InvalidRunConfigError(
      'geneticCode needs an annotation: annotationPath, or a GenBank referencePath',
      'geneticCode',
    );
  }
  return annotation;
}

/** The run's producer, or for a DIRECTORY run the watcher on its folder (which must exist inside the input directory). */
async function openReads(
  config: RunConfig,
  reference: Reference,
  folders: RunFolderAccess | undefined,
  resumed: ResumedReads | undefined,
): Promise<Producer | RunFolderWatcher> {
  if (config.source === 'DIRECTORY') {
    if (!folders) throw new InvalidRunConfigError('this pipeline follows no run folders', 'source');
    return RunFolderWatcher.open({ ...folders, directory: config.directory as string, taken: resumed?.taken ?? [] });
  }
  if (config.source === 'FASTQ') {
    const files = config.readsPaths ?? [];
    return Producer.fastq(files, {
      paired: files.length === 2,
      batchSize: config.batchSize,
      readsPerSecond: config.readsPerSecond,
    });
  }
  const sample = reference.mutate({
    mutationRate: config.mutationRate,
    indelFraction: config.indelFraction,
    seed: config.seed,
  });
  return Producer.simulated(sample, {
    readLength: config.readLength,
    errorRate: config.errorRate,
    seed: config.seed,
    batchSize: config.batchSize,
    readsPerSecond: config.readsPerSecond,
    ...(config.totalReads !== undefined && { totalReads: config.totalReads }),
  });
}

/** Runs every release, newest first; if any fails, throws them together with the error that caused the cleanup. */
async function releaseInReverse(releases: (() => void | Promise<void>)[], cause: unknown): Promise<void> {
  const failures: unknown[] = [];
  for (const release of releases.reverse()) {
    try {
      await release();
    } catch (failure) {
      failures.push(failure);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError([cause, ...failures], 'a run failed to start, and releasing its inputs failed too');
  }
}
