import type { RunFolderEvent, RunFolderReads, RunFolderWatcher } from '../watch/index.js';
import type { ReadsWaiting } from './read-source.js';

/** How many files a run takes ahead of the one it reads (found, fingerprinted and entered TAKEN). */
export const DEFAULT_INTAKE_DEPTH = 4;

/**
 * Enters a group of the watcher's events in the run's ledger (in one write) and says which of
 * them are files to read, in order; it resolves once they are stored.
 */
export type EnterFiles = (events: readonly RunFolderEvent[]) => Promise<readonly RunFolderReads[]>;

/**
 * Takes a run folder's files ahead of the reader, so finding, fingerprinting and entering the
 * next files overlaps reading the current one: up to `depth` files are held entered and unread.
 * When several files wait in the watcher they are entered together, in one ledger write. Paused
 * (the run is throttled), it takes nothing more and the backlog stays on disk. A held file is
 * entered TAKEN before the reader gets it, so one never read (a stop, a crash) is read again in
 * full after a restart.
 */
export class FileIntake {
  readonly #held: RunFolderReads[] = [];
  #ended = false;
  #failure: { error: unknown } | undefined;
  #paused = false;
  #closed = false;
  /** Wakes the taking loop: room was made, or the run went on. */
  #roomMade: (() => void) | undefined;
  /** Wakes a reader waiting for a file. */
  #fileCame: (() => void) | undefined;

  constructor(
    private readonly watcher: RunFolderWatcher,
    private readonly enter: EnterFiles,
    private readonly depth = DEFAULT_INTAKE_DEPTH,
  ) {
    void this.#takeAhead();
  }

  /** Files held entered and unread, as files and bytes waiting. */
  get waiting(): ReadsWaiting {
    let filesWaiting = 0;
    let bytesWaiting = 0;
    for (const reads of this.#held) {
      filesWaiting += reads.paths.length;
      bytesWaiting += reads.size;
    }
    return { filesWaiting, bytesWaiting };
  }

  /**
   * The next file entered TAKEN, in arrival order; undefined once the folder has ended (or on
   * close). Rejects as the watcher did (a deleted run folder), once the files held are read.
   */
  async next(): Promise<RunFolderReads | undefined> {
    for (;;) {
      const reads = this.#held.shift();
      if (reads) {
        this.#wakeTaking();
        return reads;
      }
      if (this.#failure) throw this.#failure.error;
      if (this.#ended || this.#closed) return undefined;
      await new Promise<void>((resolve) => {
        this.#fileCame = resolve;
      });
      this.#fileCame = undefined;
    }
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#wakeTaking();
  }

  /** Takes nothing more; a waiting reader gets undefined. The files held stay TAKEN, unread. */
  close(): void {
    this.#closed = true;
    this.#wakeTaking();
    this.#fileCame?.();
  }

  async #takeAhead(): Promise<void> {
    try {
      while (!this.#closed) {
        if (this.#paused || this.#held.length >= this.depth) {
          await new Promise<void>((resolve) => {
            this.#roomMade = resolve;
          });
          this.#roomMade = undefined;
          continue;
        }
        const group = await this.#pullGroup(this.depth - this.#held.length);
        if (group.length > 0) this.#held.push(...(await this.enter(group)));
        if (group.length === 0 || this.#closed) break;
        this.#fileCame?.();
      }
    } catch (error) {
      this.#failure = { error };
    }
    this.#ended = true;
    this.#fileCame?.();
  }

  /**
   * The watcher's next event, then, while more are queued, up to `room` files in all: empty when
   * the folder has ended.
   */
  async #pullGroup(room: number): Promise<RunFolderEvent[]> {
    const group: RunFolderEvent[] = [];
    let files = 0;
    do {
      const pulled = await this.watcher.next();
      if (pulled.done) break;
      group.push(pulled.value);
      if (pulled.value.type === 'reads') files += 1;
    } while (files < room && this.watcher.ready && !this.#closed);
    return group;
  }

  #wakeTaking(): void {
    this.#roomMade?.();
  }
}
