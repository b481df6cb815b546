import { basename } from 'node:path';
import { resolveInputDirectory } from '../auth/input-files.js';
import type { RunFolderBacklog, RunFolderEvent } from './events.js';
import { fingerprintFile } from './fingerprint.js';
import { DEFAULT_POLL_INTERVAL_MS, FolderWakeups } from './folder-wakeups.js';
import { isPartialName } from './layout.js';
import { type CompleteReads, RunFolderState, type TakenStamp } from './run-folder-state.js';
import { scanRunFolder } from './scan.js';

/** Where and how to follow a run folder. */
export interface WatchRunFolderOptions {
  /** `HELIX_INPUT_DIR`: the run folder must lie inside it, and so must every link it holds. */
  inputDir: string;
  /** The run folder, relative to `inputDir` (or absolute inside it). */
  directory: string;
  /** `HELIX_WATCH_SETTLE_MS`: how long a file must keep its size and modification time to be complete. */
  settleMs: number;
  /** Rescan interval while waiting when no change notice came (default {@link DEFAULT_POLL_INTERVAL_MS}). */
  pollIntervalMs?: number;
  /**
   * Files taken before (the paths the watcher hands out); they are skipped. With stamps, a
   * later change to one is warned of (with a fingerprint, a touch of the same content is not).
   */
  taken?: Iterable<string> | ReadonlyMap<string, TakenStamp>;
}

/**
 * Follows a run folder as a sequencer writes it. Pull events with `for await` (or `next()`):
 * each complete file (or Illumina pair) comes once, in arrival order, and the iteration ends
 * after the end marker once every file in the folder is taken. The folder is only scanned while
 * the consumer waits for the next event, so a consumer that stops pulling leaves the backlog on
 * disk at no cost; {@link RunFolderWatcher.backlog} says how much waits. A file is fingerprinted
 * (its first and last blocks) as it is handed out, and again only when a scan sees it taken at
 * its size with a new modification time: the same blocks are a touch, others a change, warned of.
 */
export class RunFolderWatcher implements AsyncIterableIterator<RunFolderEvent> {
  private readonly state: RunFolderState;
  private readonly wakeups: FolderWakeups;
  private scanCount = 0;
  private closed = false;
  private pulling: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly inputDir: string,
    /** Real path of the run folder. */
    readonly directory: string,
    options: WatchRunFolderOptions,
  ) {
    this.state = new RunFolderState(options.settleMs, options.taken);
    this.wakeups = new FolderWakeups(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, (path) => {
      if (isPartialName(path)) this.state.noticePartial(path);
    });
  }

  /**
   * Opens a run folder; rejects with `ForbiddenInputFileError` (field `directory`) when it does
   * not exist, is not a directory, or lies outside the input directory.
   */
  static async open(options: WatchRunFolderOptions): Promise<RunFolderWatcher> {
    const directory = await resolveInputDirectory(options.inputDir, options.directory, 'directory');
    return new RunFolderWatcher(options.inputDir, directory, options);
  }

  /** Files complete on disk not yet pulled, and files still being written, as of the last scan. */
  get backlog(): RunFolderBacklog {
    return this.state.backlog();
  }

  /** Whether an event is queued, so `next()` needs no scan (only a fingerprint of the file it hands out). */
  get ready(): boolean {
    return this.state.queued > 0;
  }

  /** How many times the folder has been read (listed and stat-ed) so far. */
  get scans(): number {
    return this.scanCount;
  }

  /** The next file or warning; done after the end marker once all is taken, or after `close()`. */
  next(): Promise<IteratorResult<RunFolderEvent>> {
    const pull = this.pulling.then(() => this.pull());
    this.pulling = pull.catch(() => undefined);
    return pull;
  }

  /** Ends the iteration (what `break` in `for await` calls). */
  async return(): Promise<IteratorResult<RunFolderEvent>> {
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Stops watching: a pending `next()` and every later one are done. */
  close(): void {
    this.closed = true;
    this.wakeups.close();
  }

  private async pull(): Promise<IteratorResult<RunFolderEvent>> {
    while (!this.closed) {
      const event = this.state.take();
      if (event !== undefined)
        return { done: false, value: event.type === 'reads' ? await this.handOut(event) : event };
      if (this.state.finished) break;
      if (this.scanCount > 0) await this.wakeups.wait(this.state.nextDueAt());
      if (this.closed) break;
      await this.scan();
    }
    this.close();
    return { done: true, value: undefined };
  }

  private async scan(): Promise<void> {
    this.scanCount += 1;
    try {
      const snapshot = await scanRunFolder(this.inputDir, this.directory, basename(this.directory));
      this.wakeups.follow(snapshot.folders);
      this.state.apply(snapshot, Date.now());
    } catch (error) {
      this.close();
      throw error;
    }
    const rechecks = this.state.takeRechecks();
    const fingerprints = await Promise.all(rechecks.map((file) => fingerprintFile(file.path).catch(() => undefined)));
    for (const [index, file] of rechecks.entries()) this.state.rechecked(file, fingerprints[index]);
  }

  /** Complete reads with their fingerprints; a file that cannot be read for them is left out, with a warning. */
  private async handOut(reads: CompleteReads): Promise<RunFolderEvent> {
    try {
      const fingerprints = await Promise.all(reads.paths.map(fingerprintFile));
      this.state.fingerprinted(reads.paths, fingerprints);
      return { ...reads, fingerprints };
    } catch (error) {
      const path = reads.paths[0] as string;
      return {
        type: 'warning',
        code: 'UNREADABLE',
        path,
        message: `${path} cannot be read (${(error as Error).message}); it is left out`,
      };
    }
  }
}
