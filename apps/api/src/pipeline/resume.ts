import { stat } from 'node:fs/promises';
import type { TakenStamp } from '../watch/index.js';
import type { RunConfigInput } from './config.js';
import type { Pipeline, RunHandle } from './pipeline.js';
import type { ResultStore, RunFileRecord } from './records.js';
import type { ResumeWarning } from './run-services.js';

/** What a restart did with the DIRECTORY runs it found RUNNING. */
export interface ResumeOutcome {
  /** The run taken up again, if any. */
  resumed: RunHandle | undefined;
  /** Older interrupted runs left as they are (one run goes on at a time). */
  leftAlone: string[];
}

/**
 * At start, takes up the latest DIRECTORY run its process left RUNNING (stopped or killed),
 * under the same id: the files DONE in its ledger are not taken again and their reads are
 * counted as they were, but they are read again into the samples' pileups so the run's calls
 * cover them; files TAKEN but not DONE had no reads counted, so they are read again in full. A
 * file that changed since it was taken is warned of.
 */
export async function resumeInterruptedRun(pipeline: Pipeline, store: ResultStore): Promise<ResumeOutcome> {
  const interrupted = await store.interruptedRuns('DIRECTORY');
  const latest = interrupted.at(-1);
  const leftAlone = interrupted.slice(0, -1).map((run) => run.runId);
  if (!latest) return { resumed: undefined, leftAlone };
  const files = await store.runFiles(latest.runId);
  const done = files.filter((file) => file.state === 'DONE');
  const stamps = new Map(await Promise.all(files.map(async (file) => [file, await stampsOf(file)] as const)));
  const resumed = await pipeline.resume(latest.config as RunConfigInput, {
    runId: latest.runId,
    taken: takenStamps(done, stamps),
    firstSequence: latest.nextSequence,
    samples: [...new Set(files.map((file) => file.sample))],
    readsCounted: done.reduce((sum, file) => sum + file.reads, 0),
    readsCountedBySample: readsBySample(done),
    replay: done.map(({ paths, sample }) => ({ paths, sample })),
    warnings: files.flatMap((file) => changeWarning(file, stamps.get(file) ?? [])),
    announced: latest.confirmedCalls,
  });
  return { resumed, leftAlone };
}

/** Each path's size and modification time now, or undefined for a path that is gone. */
async function stampsOf(file: RunFileRecord): Promise<(TakenStamp | undefined)[]> {
  return Promise.all(
    file.paths.map(async (path) => {
      const status = await stat(path).catch(() => undefined);
      return status && { size: status.size, mtime: status.mtimeMs };
    }),
  );
}

/**
 * The stamps the watcher skips DONE files by: each path as it is now, so a later change is
 * warned of; a path that is gone keeps its ledger stamp, so one that reappears is warned of too.
 */
function takenStamps(
  done: readonly RunFileRecord[],
  stamps: ReadonlyMap<RunFileRecord, readonly (TakenStamp | undefined)[]>,
): Map<string, TakenStamp> {
  const taken = new Map<string, TakenStamp>();
  for (const file of done) {
    file.paths.forEach((path, index) => {
      taken.set(path, stamps.get(file)?.[index] ?? { size: file.size, mtime: file.mtime });
    });
  }
  return taken;
}

/** A warning when `file` is gone or no longer the size and modification time its ledger row holds. */
function changeWarning(file: RunFileRecord, now: readonly (TakenStamp | undefined)[]): ResumeWarning[] {
  const present = now.filter((stamp) => stamp !== undefined);
  const size = present.reduce((sum, stamp) => sum + stamp.size, 0);
  // The ledger keeps milliseconds; the file system may tell fractions of one.
  const mtime = Math.trunc(Math.max(...present.map((stamp) => stamp.mtime)));
  if (present.length === now.length && size === file.size && mtime === file.mtime) return [];
  const { path, state } = file;
  const fate =
    state === 'DONE'
      ? 'its reads stay counted as they were; the calls are rebuilt from it as it is now'
      : 'it is read again in full as it is now';
  return [
    {
      message:
        present.length < now.length
          ? `${path} (or its mate) is gone since it was taken, before the run resumed; ${fate}`
          : `${path} changed after it was taken (${file.size} → ${size} bytes) before the run resumed; ${fate}`,
      detail: { code: 'CHANGED_AFTER_TAKEN', path, state, takenSize: file.size, size },
    },
  ];
}

/** The reads of `files` summed by sample. */
function readsBySample(files: RunFileRecord[]): Record<string, number> {
  const reads: Record<string, number> = {};
  for (const file of files) reads[file.sample] = (reads[file.sample] ?? 0) + file.reads;
  return reads;
}
