import type { RunConfigInput } from './config.js';
import type { Pipeline, RunHandle } from './pipeline.js';
import type { ResultStore, RunFileRecord } from './records.js';

/** What a restart did with the DIRECTORY runs it found RUNNING. */
export interface ResumeOutcome {
  /** The run taken up again, if any. */
  resumed: RunHandle | undefined;
  /** Older interrupted runs left as they are (one run goes on at a time). */
  leftAlone: string[];
}

/**
 * At start, takes up the latest DIRECTORY run its process left RUNNING (stopped or killed),
 * under the same id: the files DONE in its ledger are skipped and their reads counted as they
 * were; files TAKEN but not DONE had no reads counted, so they are read again in full.
 */
export async function resumeInterruptedRun(pipeline: Pipeline, store: ResultStore): Promise<ResumeOutcome> {
  const interrupted = await store.interruptedRuns('DIRECTORY');
  const latest = interrupted.at(-1);
  const leftAlone = interrupted.slice(0, -1).map((run) => run.runId);
  if (!latest) return { resumed: undefined, leftAlone };
  const files = await store.runFiles(latest.runId);
  const done = files.filter((file) => file.state === 'DONE');
  const resumed = await pipeline.resume(latest.config as RunConfigInput, {
    runId: latest.runId,
    taken: done.flatMap((file) => file.paths),
    firstSequence: latest.nextSequence,
    samples: [...new Set(files.map((file) => file.sample))],
    readsCounted: done.reduce((sum, file) => sum + file.reads, 0),
    readsCountedBySample: readsBySample(done),
  });
  return { resumed, leftAlone };
}

/** The reads of `files` summed by sample. */
function readsBySample(files: RunFileRecord[]): Record<string, number> {
  const reads: Record<string, number> = {};
  for (const file of files) reads[file.sample] = (reads[file.sample] ?? 0) + file.reads;
  return reads;
}
