import type { AlignerIndex, Reference } from '@helix/native';
import type { RunConfig } from './config.js';
import { detectorThreads } from './detector.js';
import { recordFailedStart } from './failed-start.js';
import { acquireRunInputs, type RunInputs } from './run-inputs.js';
import type { ResumedRun, RunServices } from './run-services.js';

/** What {@link openRun} asks of the run it opens. */
export interface RunOpeningHooks<Run> {
  /** A remote detector's backlog changed (it may do so before the run is built: then there is nothing to tell). */
  backlogChanged(): void;
  /** Builds the run on its id and inputs; a throw counts as a failed start. */
  build(runId: string, inputs: RunInputs): Run;
}

/**
 * Acquires a run's inputs and detectors, creates its Run row (or, resuming, takes up the stored
 * one) and builds the run on them. A failure on the way is recorded on the row, if one exists,
 * with a resumed run's counts kept, the inputs are released, and the error thrown on.
 */
export async function openRun<Run>(
  config: RunConfig,
  services: RunServices,
  resumed: ResumedRun | undefined,
  hooks: RunOpeningHooks<Run>,
): Promise<Run> {
  const warning = (message: string, detail?: Record<string, unknown>) => services.observer.warning?.(message, detail);
  let runId = resumed?.runId;
  let inputs: RunInputs | undefined;
  try {
    const openDetectors = async (reference: Reference, index: AlignerIndex) => {
      const contigs = reference.contigs;
      const createdId =
        resumed?.runId ??
        (await services.store.createRun({
          source: config.source,
          config: { ...config },
          referenceName: contigs.length === 1 ? (contigs[0]?.name ?? 'reference') : `${contigs.length} contigs`,
          referenceLength: reference.totalLength,
          contigs: contigs.map(({ name, length }) => ({ name, length })),
        }));
      runId = createdId;
      return (services.createDetectors ?? detectorThreads)({
        runId: createdId,
        config,
        reference,
        index,
        onBacklogChange: () => hooks.backlogChanged(),
        warning,
      });
    };
    inputs = await acquireRunInputs(config, openDetectors, services, resumed);
    return hooks.build(runId as string, inputs);
  } catch (error) {
    const counted = resumed && {
      readsProduced: resumed.readsCounted,
      readsAnalysed: resumed.readsCounted,
      batchesAnalysed: resumed.batchesCounted,
      variantsConfirmed: 0,
    };
    if (runId !== undefined) await recordFailedStart(services.store, runId, error, warning, counted);
    await inputs?.release();
    throw error;
  }
}
