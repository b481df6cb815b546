import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

/**
 * How often a waiting watcher rescans when nothing woke it: the fallback for folders `fs.watch`
 * cannot see into (network mounts), and what notices a file changed after it was taken.
 */
export const DEFAULT_POLL_INTERVAL_MS = 1000;

/** Scans are at least this far apart, so a burst of new files (a round of barcodes) costs one scan. */
export const MIN_SCAN_GAP_MS = 50;

/**
 * Wakes a waiting watcher when a name comes or goes in one of its folders (`fs.watch`, where it
 * works), when the poll interval has passed, or when a file is due to settle — never in a busy
 * loop. Change notices that arrive while nobody waits only mark the folder as changed.
 */
export class FolderWakeups {
  private readonly watchers = new Map<string, FSWatcher>();
  private changed = false;
  private wake: (() => void) | undefined;
  private closed = false;
  private lastWakeAt = 0;

  /** `onName` hears every file name a change notice mentions, with its folder. */
  constructor(
    private readonly pollIntervalMs: number,
    private readonly onName: (path: string) => void = () => undefined,
  ) {}

  /** Watches exactly `folders` from now on (new ones added, vanished ones dropped). */
  follow(folders: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(folders);
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        // Only names coming and going ('rename': a new file, a rename from *.tmp, an end marker)
        // call for a prompt scan; a file growing ('change') is due again at its settle time anyway.
        const watcher = watch(folder, { persistent: false }, (event, name) => {
          if (name !== null) this.onName(join(folder, name));
          if (event === 'rename') this.notice();
        });
        // A watch that fails later (folder deleted, inotify limit) leaves polling to notice changes.
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(folder);
          this.notice();
        });
        this.watchers.set(folder, watcher);
      } catch {
        // fs.watch is not available for this folder; the poll interval covers it.
      }
    }
  }

  /** Resolves at the first change notice, after the poll interval, at `dueAt` (ms since the epoch), or on close. */
  async wait(dueAt: number | undefined): Promise<void> {
    if (this.closed) return;
    if (!this.changed) {
      await new Promise<void>((resolve) => {
        const delay = Math.max(0, Math.min(this.pollIntervalMs, (dueAt ?? Number.POSITIVE_INFINITY) - Date.now()));
        const timer = setTimeout(done, delay);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
    const gap = this.lastWakeAt + MIN_SCAN_GAP_MS - Date.now();
    if (gap > 0 && !this.closed) await new Promise((resolve) => setTimeout(resolve, gap));
    this.changed = false;
    this.lastWakeAt = Date.now();
  }

  /** Stops every `fs.watch` and ends a wait in progress. */
  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.wake?.();
  }

  private notice(): void {
    this.changed = true;
    this.wake?.();
  }
}
