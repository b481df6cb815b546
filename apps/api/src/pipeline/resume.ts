import { stat } from 'node:fs/promises';
import { fingerprintFile, type TakenStamp } from '../watch/index.js';
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

/** A ledger row's file as it is on disk now, next to how it was taken. */
interface FileNow {
  /** Each path's stamp now (with its fingerprint when known), or undefined for a path that is gone. */
  stamps: (TakenStamp | undefined)[];
  /** How it differs from its ledger row, if it does. */
  change: { gone: boolean; how: string } | undefined;
}

/**
 * At start, takes up the latest DIRECTORY run its process left RUNNING (stopped or killed),
 * under the same id. Files its ledger ended are not taken again: the reads of those DONE or
 * FAILED are counted as they were, and read again (up to that count) into the samples' pileups so
 * the run's calls cover them; SKIPPED ones stay left out. Files TAKEN but not ended had no reads
 * counted, so they are read again in full. A file that changed since it was taken (another size,
 * or a new time with other first or last blocks; a touch is no change) is warned of, in the log
 * and among the run's warnings.
 */
export async function resumeInterruptedRun(pipeline: Pipeline, store: ResultStore): Promise<ResumeOutcome> {
  const interrupted = await store.interruptedRuns('DIRECTORY');
  const latest = interrupted.at(-1);
  const leftAlone = interrupted.slice(0, -1).map((run) => run.runId);
  if (!latest) return { resumed: undefined, leftAlone };
  const files = await store.runFiles(latest.runId);
  const ended = files.filter((file) => file.state !== 'TAKEN');
  const counted = files.filter((file) => file.state === 'DONE' || file.state === 'FAILED');
  const now = new Map(await Promise.all(files.map(async (file) => [file, await lookAgain(file)] as const)));
  const changes = files.flatMap((file) => changeWarning(file, now.get(file)));
  const at = new Date();
  await store.addRunWarnings(
    changes.map(({ file, warning }) => ({
      runId: latest.runId,
      code: 'CHANGED_AFTER_TAKEN',
      message: warning.message,
      file: file.file || undefined,
      at,
    })),
  );
  const resumed = await pipeline.resume(latest.config as RunConfigInput, {
    runId: latest.runId,
    taken: takenStamps(ended, now),
    firstSequence: latest.nextSequence,
    // As the read source met them: an unclassified file belongs to no sample.
    samples: [
      ...new Set(files.filter((file) => file.reason?.code !== 'UNCLASSIFIED_SKIPPED').map((file) => file.sample)),
    ],
    readsCounted: counted.reduce((sum, file) => sum + file.reads, 0),
    // A file's analysis rows are stored with its ending: those stored are the ended files' batches.
    batchesCounted: latest.batchesStored,
    readsCountedBySample: readsBySample(counted),
    replay: counted
      .filter((file) => file.reads > 0)
      .map(({ paths, sample, reads, mtime }) => ({ paths, sample, reads, arrivedAt: new Date(mtime) })),
    warnings: changes.map(({ warning }) => warning),
    announced: latest.confirmedCalls,
  });
  return { resumed, leftAlone };
}

/**
 * How `file` is on disk now. Only when its size is as taken but its time is not are its blocks
 * read: the same fingerprints make it a touch (no change), other ones a change.
 */
async function lookAgain(file: RunFileRecord): Promise<FileNow> {
  const statuses = await Promise.all(file.paths.map((path) => stat(path).catch(() => undefined)));
  const stamps: (TakenStamp | undefined)[] = statuses.map(
    (status) => status && { size: status.size, mtime: status.mtimeMs },
  );
  const present = stamps.filter((stamp) => stamp !== undefined);
  if (present.length < stamps.length) return { stamps, change: { gone: true, how: '' } };
  const size = present.reduce((sum, stamp) => sum + stamp.size, 0);
  const mtime = Math.trunc(Math.max(...present.map((stamp) => stamp.mtime)));
  const sized = size === file.size;
  const fingerprinted = file.fingerprints.length === file.paths.length;
  const withFingerprints = (fingerprints: readonly (string | undefined)[]) =>
    stamps.map((stamp, index) => {
      const fingerprint = fingerprints[index];
      return stamp && (fingerprint === undefined ? stamp : { ...stamp, fingerprint });
    });
  if (sized && mtime === file.mtime) return { stamps: withFingerprints(file.fingerprints), change: undefined };
  if (!sized || !fingerprinted) return { stamps, change: { gone: false, how: `${file.size} → ${size} bytes` } };
  const fingerprints = await Promise.all(file.paths.map((path) => fingerprintFile(path).catch(() => undefined)));
  const touched = fingerprints.every((fingerprint, index) => fingerprint === file.fingerprints[index]);
  return {
    stamps: withFingerprints(fingerprints),
    change: touched ? undefined : { gone: false, how: 'the same size, other content' },
  };
}

/**
 * The stamps the watcher skips ended files by: each path as it is now (with its fingerprint), so
 * a later change is warned of; a path that is gone keeps its ledger stamp, so one that reappears
 * is warned of too.
 */
function takenStamps(
  ended: readonly RunFileRecord[],
  now: ReadonlyMap<RunFileRecord, FileNow>,
): Map<string, TakenStamp> {
  const taken = new Map<string, TakenStamp>();
  for (const file of ended) {
    file.paths.forEach((path, index) => {
      taken.set(path, now.get(file)?.stamps[index] ?? { size: file.size, mtime: file.mtime });
    });
  }
  return taken;
}

/** A warning when `file` is gone or changed since its ledger row was written. */
function changeWarning(
  file: RunFileRecord,
  now: FileNow | undefined,
): { file: RunFileRecord; warning: ResumeWarning }[] {
  if (!now?.change) return [];
  const { path, state } = file;
  const fate = {
    TAKEN: 'it is read again in full as it is now',
    DONE: 'its reads stay counted as they were; the calls are rebuilt from it as it is now',
    FAILED: 'its reads stay counted as they were; the calls are rebuilt from it as it is now',
    SKIPPED: 'it stays left out',
  }[state];
  const size = now.stamps.reduce((sum, stamp) => sum + (stamp?.size ?? 0), 0);
  const message = now.change.gone
    ? `${path} (or its mate) is gone since it was taken, before the run resumed; ${fate}`
    : `${path} changed after it was taken (${now.change.how}) before the run resumed; ${fate}`;
  const detail = { code: 'CHANGED_AFTER_TAKEN', path, state, takenSize: file.size, size };
  return [{ file, warning: { message, detail } }];
}

/** The reads of `files` summed by sample. */
function readsBySample(files: RunFileRecord[]): Record<string, number> {
  const reads: Record<string, number> = {};
  for (const file of files) reads[file.sample] = (reads[file.sample] ?? 0) + file.reads;
  return reads;
}
