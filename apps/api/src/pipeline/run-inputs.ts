import { AlignerIndex, type Annotation, Producer, Reference } from '@helix/native';
import { loadReference } from '../annotate/genbank-reference.js';
import { openRunAnnotation } from '../annotate/run-annotation.js';
import { InvalidRunConfigError, type RunConfig } from './config.js';
import type { BatchDetectors } from './detector.js';

/** What a run needs before its first batch: reference, annotation, index, read source and detectors. */
export interface RunInputs {
  reference: Reference;
  /** The genes confirmed calls are annotated with: `annotationPath`, else a GenBank reference's own. */
  annotation: Annotation | undefined;
  index: AlignerIndex;
  producer: Producer;
  detectors: BatchDetectors;
  /** Closes the read source and the detectors and releases the index (at the run's end). */
  release(): Promise<void>;
}

/** Opens a run's detectors once its reference and index exist. */
export type OpenDetectors = (reference: Reference, index: AlignerIndex) => Promise<BatchDetectors>;

/** The random reference a run's length and seed define; the same spec rebuilds the same genome anywhere. */
export function randomReference(spec: Pick<RunConfig, 'referenceLength' | 'seed'>): Reference {
  return Reference.random(spec.referenceLength, spec.seed);
}

/**
 * Acquires a run's inputs in order — reference, annotation, index, read source, detectors (ready)
 * — and, when a step throws, releases what the steps before it acquired before passing the error
 * on. A bad annotation fails before the run's row exists.
 */
export async function acquireRunInputs(config: RunConfig, openDetectors: OpenDetectors): Promise<RunInputs> {
  const releases: (() => void | Promise<void>)[] = [];
  try {
    const reference = config.referencePath ? await loadReference(config.referencePath) : randomReference(config);
    const annotation = await openAnnotation(config, reference);
    const index = await AlignerIndex.build(reference);
    releases.push(() => index.release());
    const producer = openProducer(config, reference);
    releases.push(() => producer.close());
    const detectors = await openDetectors(reference, index);
    releases.push(() => detectors.close());
    await detectors.ready();
    return {
      reference,
      annotation,
      index,
      producer,
      detectors,
      async release() {
        producer.close();
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

function openProducer(config: RunConfig, reference: Reference): Producer {
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
