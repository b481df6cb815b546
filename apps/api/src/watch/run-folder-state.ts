import type { RunFolderBacklog, RunFolderReads, RunFolderWarning } from './events.js';
import { partialNamesOf, type ReadsRole } from './layout.js';
import type { RunFolderSnapshot, ScannedFile } from './scan.js';

/** Size, modification time and fingerprint of a file when it was taken, to notice a later change. */
export interface TakenStamp {
  size: number;
  /** Milliseconds since the epoch (compared to the millisecond: a ledger keeps no finer). */
  mtime: number;
  /** SHA-256 of its first and last 64 KiB; without it, any new modification time is a change. */
  fingerprint?: string;
}

/** A reads file or pair complete and queued, before the watcher fingerprints it as it hands it out. */
export type CompleteReads = Omit<RunFolderReads, 'fingerprints'>;

/** What the state queues: complete reads, and warnings. */
export type QueuedEvent = CompleteReads | RunFolderWarning;

/** A reads file seen but not taken yet, and since when it has looked the way it looks. */
interface Observation {
  file: ScannedFile;
  role: ReadsRole;
  /** When its size or modification time last changed, as far as the scans can tell. */
  changedAt: number;
  /** Renamed from a `*.tmp` / `*.part` file seen earlier: complete at once. */
  renamed: boolean;
}

/** A file under a temporary name, and since when it has looked the way it looks. */
interface TemporaryFile {
  file: ScannedFile;
  changedAt: number;
}

const byName = new Intl.Collator('en', { numeric: true }).compare;

/**
 * What a watcher knows of a run folder between scans, without touching the disk: which files are
 * complete (settle rule, rename from a temporary name), which are taken, which Illumina mates wait
 * for each other, whether the end marker was seen, and the events not yet pulled.
 */
export class RunFolderState {
  private readonly observations = new Map<string, Observation>();
  private partials = new Map<string, TemporaryFile>();
  private readonly abandoned = new Set<string>();
  /** Temporary names a change notice mentioned, so a quick write-and-rename is still known as one. */
  private readonly noticedPartials = new Map<string, number>();
  private readonly taken = new Map<string, TakenStamp | undefined>();
  private readonly queue: QueuedEvent[] = [];
  /** Taken files seen with their size but another modification time: their blocks decide. */
  private rechecks = new Map<string, ScannedFile>();
  private readonly warned = new Set<string>();
  private endMarkerSeen = false;
  private held = { files: 0, bytes: 0 };
  private scannedAt = 0;

  /**
   * `taken`: files already taken (by an earlier process); with stamps, a change to one is warned
   * of as to any other taken file.
   */
  constructor(
    private readonly settleMs: number,
    taken: Iterable<string> | ReadonlyMap<string, TakenStamp> = [],
  ) {
    if (taken instanceof Map) {
      for (const [path, stamp] of taken as ReadonlyMap<string, TakenStamp>) this.taken.set(path, stamp);
    } else {
      for (const path of taken as Iterable<string>) this.taken.set(path, undefined);
    }
  }

  /** Folds in what a scan at time `now` saw, queueing every file that became complete. */
  apply(snapshot: RunFolderSnapshot, now: number): void {
    const previousScanAt = this.scannedAt;
    this.scannedAt = now;
    for (const warning of snapshot.warnings) this.warnOnce(warning);
    const previousPartials = this.partials;
    this.partials = new Map();
    const present = new Set(snapshot.files.map((file) => file.path));
    for (const file of snapshot.files) {
      if (file.role.kind === 'end-marker') this.endMarkerSeen = true;
      else if (file.role.kind === 'partial') this.observePartial(file, previousPartials, now);
      else this.observeReads(file, file.role, { previousPartials, present, previousScanAt, now });
    }
    for (const path of this.observations.keys()) if (!present.has(path)) this.observations.delete(path);
    // A temporary name last heard of a settle time ago is no longer needed: a file renamed from it
    // was last written as long ago, so the settle rule takes it at once.
    for (const [path, noticedAt] of this.noticedPartials) {
      if (!present.has(path) && now - noticedAt > this.settleMs) this.noticedPartials.delete(path);
    }
    this.queueComplete(now);
    if (this.endMarkerSeen) this.abandonStalePartials(now);
  }

  /** Records a temporary file name (`*.tmp`, `*.part`) that a change notice mentioned. */
  noticePartial(path: string, at: number = Date.now()): void {
    this.noticedPartials.set(path, at);
  }

  /** Events queued, not yet taken. */
  get queued(): number {
    return this.queue.length;
  }

  /** The next event in arrival order, if one is queued. */
  take(): QueuedEvent | undefined {
    return this.queue.shift();
  }

  /** Records the fingerprints of files as they were handed out, so a later touch is told from a change. */
  fingerprinted(paths: readonly string[], fingerprints: readonly string[]): void {
    paths.forEach((path, index) => {
      const stamp = this.taken.get(path);
      const fingerprint = fingerprints[index];
      if (stamp && fingerprint !== undefined) this.taken.set(path, { ...stamp, fingerprint });
    });
  }

  /**
   * The taken files the last scans saw at their size with another modification time, each once:
   * the caller fingerprints them and tells {@link rechecked}.
   */
  takeRechecks(): ScannedFile[] {
    const files = [...this.rechecks.values()];
    this.rechecks = new Map();
    return files;
  }

  /**
   * A taken file's fingerprint now (undefined when it could not be read): the same blocks make
   * the new modification time a touch, kept silently; other blocks are a change, warned of.
   */
  rechecked(file: ScannedFile, fingerprint: string | undefined): void {
    const stamp = this.taken.get(file.path);
    if (!stamp) return;
    const now = { size: file.size, mtime: file.mtimeMs, ...(fingerprint !== undefined && { fingerprint }) };
    if (fingerprint !== undefined && fingerprint === stamp.fingerprint) this.taken.set(file.path, now);
    else {
      const how =
        fingerprint === undefined ? 'a new time, and it can no longer be read' : 'the same size, other content';
      this.changedAfterTaken(file.path, now, how);
    }
  }

  /** The end marker was seen and every file in the folder is taken (or abandoned) and pulled. */
  get finished(): boolean {
    return (
      this.endMarkerSeen &&
      this.queue.length === 0 &&
      this.observations.size === 0 &&
      [...this.partials.values()].every(({ file }) => this.abandoned.has(file.path))
    );
  }

  /** The earliest time a file still settling could become complete (nothing is due before it). */
  nextDueAt(): number | undefined {
    let due: number | undefined;
    const consider = (at: number) => {
      due = due === undefined ? at : Math.min(due, at);
    };
    // A complete file held for its mate is not due again: only its mate's arrival changes anything.
    for (const observation of this.observations.values()) {
      if (!this.isComplete(observation, this.scannedAt)) consider(observation.changedAt + this.settleMs);
    }
    if (this.endMarkerSeen) {
      for (const { file, changedAt } of this.partials.values()) {
        if (!this.abandoned.has(file.path)) consider(changedAt + this.settleMs);
      }
    }
    return due;
  }

  /** Files waiting to be pulled (queued, or mates waiting for each other) and files still being written. */
  backlog(): RunFolderBacklog {
    let files = this.held.files;
    let bytes = this.held.bytes;
    for (const event of this.queue) {
      if (event.type !== 'reads') continue;
      files += event.paths.length;
      bytes += event.size;
    }
    const writing = [...this.observations.values()].filter(
      (observation) => !this.isComplete(observation, this.scannedAt),
    );
    const partials = [...this.partials.values()].filter(({ file }) => !this.abandoned.has(file.path));
    return {
      filesWaiting: files,
      bytesWaiting: bytes,
      filesWriting: writing.length + partials.length,
      endMarkerSeen: this.endMarkerSeen,
    };
  }

  private observePartial(file: ScannedFile, previous: ReadonlyMap<string, TemporaryFile>, now: number): void {
    const before = previous.get(file.identity);
    const unchanged = before && before.file.size === file.size && before.file.mtimeMs === file.mtimeMs;
    this.partials.set(file.identity, { file, changedAt: unchanged ? before.changedAt : now });
  }

  private observeReads(
    file: ScannedFile,
    role: ReadsRole,
    scan: {
      previousPartials: ReadonlyMap<string, TemporaryFile>;
      present: ReadonlySet<string>;
      previousScanAt: number;
      now: number;
    },
  ): void {
    const { previousPartials, present, previousScanAt, now } = scan;
    if (this.taken.has(file.path)) {
      const stamp = this.taken.get(file.path);
      if (!stamp || sameStamp(stamp, file)) return;
      if (stamp.size === file.size && stamp.fingerprint !== undefined) this.rechecks.set(file.path, file);
      else {
        const now = { size: file.size, mtime: file.mtimeMs };
        this.changedAfterTaken(file.path, now, `${stamp.size} → ${file.size} bytes`);
      }
      return;
    }
    const before = this.observations.get(file.path);
    const renamed =
      before?.renamed === true ||
      previousPartials.has(file.identity) ||
      partialNamesOf(file.path).some((name) => this.noticedPartials.has(name) && !present.has(name));
    if (before === undefined) {
      // Seen for the first time: it has looked like this since it was last written.
      this.observations.set(file.path, { file, role, changedAt: Math.min(file.mtimeMs, now), renamed });
    } else if (renamed !== before.renamed || before.file.size !== file.size || before.file.mtimeMs !== file.mtimeMs) {
      // It changed after the previous scan; its modification time says when, unless that is coarser.
      const changedAt = Math.max(previousScanAt, Math.min(file.mtimeMs, now));
      this.observations.set(file.path, { file, role, changedAt, renamed });
    }
  }

  private isComplete(observation: Observation, now: number): boolean {
    return observation.renamed || now - observation.changedAt >= this.settleMs;
  }

  private queueComplete(now: number): void {
    const mates = new Map<string, Map<1 | 2, Observation>>();
    for (const observation of this.observations.values()) {
      const { mate } = observation.role;
      if (mate === undefined) continue;
      const pair = mates.get(mate.pair) ?? new Map<1 | 2, Observation>();
      pair.set(mate.number, observation);
      mates.set(mate.pair, pair);
    }
    const groups: Observation[][] = [];
    this.held = { files: 0, bytes: 0 };
    for (const observation of this.observations.values()) {
      if (!this.isComplete(observation, now)) continue;
      const { mate } = observation.role;
      if (mate === undefined) {
        groups.push([observation]);
        continue;
      }
      const other = mates.get(mate.pair)?.get(mate.number === 1 ? 2 : 1);
      if (other === undefined && this.endMarkerSeen) {
        // The run is over and no mate came: a single-end file.
        groups.push([observation]);
      } else if (other !== undefined && this.isComplete(other, now)) {
        if (mate.number === 1) groups.push([observation, other]);
      } else {
        this.held.files += 1;
        this.held.bytes += observation.file.size;
      }
    }
    const arrival = (group: Observation[]) => Math.max(...group.map(({ file }) => file.mtimeMs));
    groups.sort((a, b) => arrival(a) - arrival(b) || byName(a[0]?.file.path ?? '', b[0]?.file.path ?? ''));
    for (const group of groups) this.queue.push(this.takeGroup(group));
  }

  private takeGroup(group: Observation[]): CompleteReads {
    for (const { file } of group) {
      this.taken.set(file.path, { size: file.size, mtime: file.mtimeMs });
      this.observations.delete(file.path);
    }
    const first = group[0] as Observation;
    return {
      type: 'reads',
      sample: first.role.sample,
      paths: group.map(({ file }) => file.path),
      file: first.file.segments.join('/'),
      size: group.reduce((total, { file }) => total + file.size, 0),
      mtime: Math.max(...group.map(({ file }) => file.mtimeMs)),
    };
  }

  private abandonStalePartials(now: number): void {
    for (const { file, changedAt } of this.partials.values()) {
      if (this.abandoned.has(file.path) || now - changedAt < this.settleMs) continue;
      this.abandoned.add(file.path);
      this.queue.push({
        type: 'warning',
        code: 'PARTIAL_FILE_ABANDONED',
        path: file.path,
        message: `${file.path} was still a temporary file, unchanged, after the end marker; it is left out`,
      });
    }
  }

  /** Warns that a taken file changed (`how`) and remembers it as it is now, to warn of the next change. */
  private changedAfterTaken(path: string, now: TakenStamp, how: string): void {
    this.queue.push({
      type: 'warning',
      code: 'CHANGED_AFTER_TAKEN',
      path,
      message: `${path} changed after it was taken (${how}); its reads are not read again`,
    });
    this.taken.set(path, now);
  }

  private warnOnce(warning: RunFolderWarning): void {
    const key = `${warning.code}:${warning.path}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.queue.push(warning);
  }
}

/** Whether a file looks as it did when taken: its size, and its modification time to the millisecond. */
function sameStamp(stamp: TakenStamp, file: ScannedFile): boolean {
  return stamp.size === file.size && Math.trunc(stamp.mtime) === Math.trunc(file.mtimeMs);
}
