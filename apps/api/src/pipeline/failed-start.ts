import type { ResultStore, RunTotals } from './records.js';

/**
 * Marks as FAILED, with the error's message, a run whose start failed after its Run row was
 * created, so the row does not stay RUNNING once the pipeline is idle again. A failure to mark it
 * goes to `warning`: the start's own error is the one its caller must get.
 */
export async function recordFailedStart(
  store: ResultStore,
  runId: string,
  error: unknown,
  warning: (message: string, detail?: Record<string, unknown>) => void,
  /** What the run had counted before (a resumed run); nothing for a new one. */
  counted: RunTotals = { readsProduced: 0, readsAnalysed: 0, batchesAnalysed: 0, variantsConfirmed: 0 },
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  try {
    await store.finishRun(runId, 'FAILED', counted, message);
  } catch (failure) {
    warning('a run that failed to start could not be marked FAILED', {
      runId,
      reason: failure instanceof Error ? failure.message : String(failure),
    });
  }
}
