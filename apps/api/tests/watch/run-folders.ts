import { mkdir, mkdtemp, realpath, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RunFolderEvent, RunFolderReads, RunFolderWatcher } from '../../src/watch/index.js';

/** A scratch HELIX_INPUT_DIR (a real path) with a way to remove it. */
export async function scratchInputDir(): Promise<{ inputDir: string; remove: () => Promise<void> }> {
  const inputDir = await realpath(await mkdtemp(join(tmpdir(), 'helix-watch-')));
  return { inputDir, remove: () => rm(inputDir, { recursive: true, force: true }) };
}

/** FASTQ text of `reads` records named after `name`. */
export function fastqText(reads: number, name = 'read'): string {
  let text = '';
  for (let index = 0; index < reads; index += 1) text += `@${name}_${index}\nACGTACGTAC\n+\nIIIIIIIIII\n`;
  return text;
}

/**
 * Writes a reads file (gzip when the name ends in `.gz`), with a modification time a minute
 * ago unless `fresh`, so it is complete at first sight.
 */
export async function writeReadsFile(path: string, reads: number, options: { fresh?: boolean } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const text = fastqText(reads);
  await writeFile(path, path.endsWith('.gz') ? gzipSync(text) : text);
  if (!options.fresh) await settled(path);
}

/** Sets a file's modification time a minute back, as if written long ago. */
export async function settled(path: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
}

/** Pulls the next event, or `'nothing'` when none comes within `ms`. */
export async function nextWithin(watcher: RunFolderWatcher, ms: number): Promise<RunFolderEvent | 'nothing' | 'done'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'nothing'>((resolve) => {
    timer = setTimeout(() => resolve('nothing'), ms);
  });
  const next = watcher.next().then((result) => (result.done ? ('done' as const) : result.value));
  try {
    return await Promise.race([next, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every event up to the end of the run (the watcher must end within `timeoutMs`). */
export async function eventsToTheEnd(watcher: RunFolderWatcher, timeoutMs = 20_000): Promise<RunFolderEvent[]> {
  const events: RunFolderEvent[] = [];
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    watcher.close();
  }, timeoutMs);
  try {
    for await (const event of watcher) events.push(event);
  } finally {
    clearTimeout(deadline);
  }
  if (timedOut) throw new Error(`the run did not end within ${timeoutMs} ms; so far: ${JSON.stringify(events)}`);
  return events;
}

/**
 * The reads events of a list as `sample: file names`, for readable expectations; warnings are
 * left out and `'nothing'` / `'done'` (from {@link nextWithin}) kept as they are.
 */
export function takenFiles(events: Array<RunFolderEvent | 'nothing' | 'done'>): string[] {
  return events
    .filter(
      (event): event is RunFolderReads | 'nothing' | 'done' => typeof event === 'string' || event.type === 'reads',
    )
    .map((event) =>
      typeof event === 'string'
        ? event
        : `${event.sample}: ${event.paths.map((path) => path.split('/').at(-1)).join(' + ')}`,
    );
}
