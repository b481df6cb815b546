import { relative } from 'node:path';
import { Producer } from '@helix/native';
import { type RunFolderEvent, RunFolderGoneError, type RunFolderReads, type RunFolderWatcher } from '../watch/index.js';
import { FileIntake } from './file-intake.js';
import type { ReadsWaiting, RunReadSource, TakenBatch, TakenFile } from './read-source.js';
import type { AnalysisRecord, ResultStore, RunFileEnding, RunFileReason, RunFileRecord } from './records.js';
import { retryWithBackoff } from './retry.js';
import { type RunWarningCode, readFailureCode, readFailureMessage, UNCLASSIFIED_SAMPLE } from './run-file-faults.js';

/** How a DIRECTORY run reads each file it takes. */
export interface DirectoryReadOptions {
  batchSize: number;
  readsPerSecond: number;
}

/** Where a DIRECTORY run keeps its file ledger and warnings, and whom it tells of a file it could not read. */
export interface DirectoryLedger {
  runId: string;
  store: Pick<ResultStore, 'takeFiles' | 'finishFile' | 'addRunWarnings'>;
  /** Logs a warning of the run. */
  warning(message: string, detail: Record<string, unknown>): void;
  /** A file's ending was stored: its analysis rows no longer weigh on the run's pressure. */
  endingStored(): void;
}

/** A file opened for reading. */
interface OpenFile {
  file: FileProgress;
  producer: Producer;
}

/** A file being read or analysed: its reads so far, and its batches not yet settled. */
interface FileProgress extends TakenFile {
  /** Where it lies in the run folder. */
  file: string;
  sampleIndex: number;
  reads: number;
  unsettled: number;
  /** The analysis rows of its batches analysed so far: stored with its ending, in one transaction. */
  analyses: AnalysisRecord[];
  /** Every batch has been read from it (up to its end, or to a fault). */
  ended: boolean;
  /** The fault that ended its reading early: it ends FAILED, with the reads before the fault. */
  fault: RunFileReason | undefined;
  /** Cut short by a stop, or a batch of it not analysed: it stays TAKEN, to be read again in full. */
  unfinished: boolean;
}

/**
 * The reads of a run folder, file after file. Its {@link FileIntake} takes the next few files
 * while one is read (found, fingerprinted and entered TAKEN, several in one ledger write when
 * several wait), and takes nothing while the run is throttled — so a throttled run leaves the
 * backlog on disk. Each file is entered TAKEN before its first read; once all its batches are
 * analysed it ends, with its reads and its batches' analysis rows, in one write that does not hold
 * up the reading of the next: DONE, FAILED when a fault cut its reading short, SKIPPED when it
 * held no reads. A file of no sample (`unclassified`) enters SKIPPED, unread. Every named warning
 * is logged and kept among the run's warnings.
 */
export class DirectoryReadSource implements RunReadSource {
  /** The file being read, then (at an unlimited rate) the next one, opened so its first batch is read ahead. */
  readonly #opened: OpenFile[] = [];
  readonly #intake: FileIntake;
  readonly #samples: string[];
  #sequence = 0;
  #paused = false;
  #closed = false;
  #rate: number;
  /** Files entered into the ledger by this process. */
  #filesTaken = 0;
  #unclassifiedWarned = false;
  readonly #writes = new Set<Promise<void>>();
  #lastWarning: Promise<void> = Promise.resolve();
  /** Analysis rows of ended files whose ledger write is not stored yet. */
  #rowsUnstored = 0;

  constructor(
    private readonly watcher: RunFolderWatcher,
    private readonly options: DirectoryReadOptions,
    private readonly ledger: DirectoryLedger,
    /** Batches numbered from here on (past batches of a resumed run keep theirs). */
    firstSequence = 0,
    /** Samples met before a restart, in first-seen order. */
    samples: readonly string[] = [],
  ) {
    this.#samples = [...samples];
    this.#rate = options.readsPerSecond;
    this.#sequence = firstSequence;
    this.#intake = new FileIntake(watcher, (events) => this.#enter(events));
  }

  get samples(): readonly string[] {
    return this.#samples;
  }

  get rowsUnstored(): number {
    return this.#rowsUnstored;
  }

  get waiting(): ReadsWaiting {
    const { filesWaiting, bytesWaiting } = this.watcher.backlog;
    const held = this.#intake.waiting;
    return { filesWaiting: filesWaiting + held.filesWaiting, bytesWaiting: bytesWaiting + held.bytesWaiting };
  }

  async next(): Promise<TakenBatch | null> {
    while (!this.#closed) {
      const current = this.#opened[0] ?? (await this.#takeFile());
      if (!current) return null;
      const batch = await current.producer.next().catch((error: Error) => {
        const code = readFailureCode(error);
        current.file.fault = { code, message: `${readFailureMessage(code)}: ${error.message}` };
        this.#warn(
          code,
          readFailureMessage(code),
          { path: current.file.path, reason: error.message, readsKept: current.file.reads },
          current.file.file,
        );
        return null;
      });
      if (batch) {
        current.file.reads += batch.reads;
        current.file.unsettled += 1;
        this.#openAhead();
        return {
          batch: { ...batch, sequence: this.#sequence++ },
          file: current.file,
          sample: current.file.sampleIndex,
        };
      }
      current.producer.close();
      // A file cut short by close() was not read to its end: it stays TAKEN, to be read again.
      if (this.#closed) current.file.unfinished = true;
      else if (!current.file.fault && current.file.reads === 0) {
        this.#warn('EMPTY_FILE', 'a reads file holds no reads', { path: current.file.path }, current.file.file);
      }
      current.file.ended = true;
      this.#opened.shift();
      this.#finishIfDone(current.file);
    }
    return null;
  }

  pause(): void {
    this.#paused = true;
    this.#intake.pause();
    for (const { producer } of this.#opened) producer.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#intake.resume();
    for (const { producer } of this.#opened) producer.resume();
  }

  setRate(readsPerSecond: number): void {
    this.#rate = readsPerSecond;
    for (const { producer } of this.#opened) producer.setRate(readsPerSecond);
  }

  settled(taken: TakenBatch, analysed: boolean, analysis?: AnalysisRecord): boolean {
    const file = taken.file as FileProgress | undefined;
    if (!file) return false;
    file.unsettled -= 1;
    if (!analysed) file.unfinished = true;
    if (analysis) file.analyses.push(analysis);
    this.#finishIfDone(file);
    return analysis !== undefined;
  }

  async flushed(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes);
  }

  close(): void {
    this.#closed = true;
    this.#intake.close();
    this.watcher.close();
    // A file opened ahead and never read stays TAKEN, as the intake's held files do.
    for (const { producer } of this.#opened) producer.close();
  }

  /** Opens the next file the intake took (it is entered TAKEN); undefined once the folder has ended. */
  async #takeFile(): Promise<OpenFile | undefined> {
    for (;;) {
      const reads = await this.#intake.next().catch((error: unknown) => {
        if (error instanceof RunFolderGoneError) {
          this.#warn('RUN_FOLDER_GONE', error.message, { path: error.directory });
        }
        throw error;
      });
      if (this.#closed) return undefined;
      if (!reads) {
        if (this.#filesTaken === 0 && this.#samples.length === 0) {
          this.#warn('EMPTY_RUN', 'the run ended (end marker) without a reads file', {
            path: this.watcher.directory,
          });
        }
        return undefined;
      }
      const opened = this.#openFile(reads);
      if (opened) return opened;
    }
  }

  /**
   * At an unlimited rate, and not throttled, opens the next file the intake holds while the
   * current one is read, so its reading starts ahead (a paced run reads no faster for it).
   */
  #openAhead(): void {
    if (this.#opened.length !== 1 || this.#paused || this.#closed || this.#rate !== 0) return;
    const reads = this.#intake.take();
    if (reads) this.#openFile(reads);
  }

  /** Opens a taken file after those opened; one that cannot be opened ends FAILED, with a warning. */
  #openFile(reads: RunFolderReads): OpenFile | undefined {
    try {
      const opened = { file: this.#progress(reads), producer: this.#open(reads) };
      this.#opened.push(opened);
      return opened;
    } catch (error) {
      const message = 'a reads file could not be opened; it is left out';
      const reason = (error as Error).message;
      this.#warn('UNREADABLE_FILE', message, { path: reads.paths[0], reason }, reads.file);
      this.#end(reads.paths[0] as string, {
        state: 'FAILED',
        reads: 0,
        reason: { code: 'UNREADABLE_FILE', message: `${message}: ${reason}` },
        analyses: [],
      });
      return undefined;
    }
  }

  /**
   * Enters a group of the watcher's events in one ledger write (warnings go to the run): reads
   * TAKEN, a file of the `unclassified` barcode folder SKIPPED (the first one warned of, for them
   * all). Resolves, once stored, with the files to read.
   */
  async #enter(events: readonly RunFolderEvent[]): Promise<RunFolderReads[]> {
    const records: RunFileRecord[] = [];
    const toRead: RunFolderReads[] = [];
    for (const event of events) {
      if (event.type === 'warning') {
        this.#warn(event.code, event.message, { path: event.path }, this.#inRunFolder(event.path));
      } else if (event.sample === UNCLASSIFIED_SAMPLE) {
        const message = 'reads without a barcode (unclassified) belong to no sample; they are not read';
        records.push({ ...this.#record(event), state: 'SKIPPED', reason: { code: 'UNCLASSIFIED_SKIPPED', message } });
        if (!this.#unclassifiedWarned) {
          this.#unclassifiedWarned = true;
          this.#warn('UNCLASSIFIED_SKIPPED', message, { path: event.paths[0] }, event.file);
        }
      } else {
        records.push(this.#record(event));
        toRead.push(event);
      }
    }
    this.#filesTaken += toRead.length;
    if (records.length > 0) await this.#write(() => this.ledger.store.takeFiles(records));
    return toRead;
  }

  /**
   * A named warning of this run: logged, and kept among the run's warnings (`file` relative to
   * the run folder) — except a failed ledger write, which {@link #write} keeps once it succeeds.
   */
  #warn(code: RunWarningCode, message: string, detail: Record<string, unknown>, file?: string): void {
    this.ledger.warning(message, { runId: this.ledger.runId, code, ...detail });
    if (code === 'LEDGER_WRITE_FAILED') return;
    this.#keepWarning(code, typeof detail.reason === 'string' ? `${message}: ${detail.reason}` : message, file);
  }

  /** Keeps a warning after those kept before it, so the run lists them (by the order stored) newest first. */
  #keepWarning(code: RunWarningCode, message: string, file: string | undefined): void {
    const warning = { runId: this.ledger.runId, code, message, file, at: new Date() };
    const previous = this.#lastWarning;
    this.#lastWarning = this.#write(
      async () => {
        await previous;
        await this.ledger.store.addRunWarnings([warning]);
      },
      { keepsWarning: true },
    ).catch(() => undefined);
  }

  /** `path` relative to the run folder; undefined for the run folder itself. */
  #inRunFolder(path: string): string | undefined {
    return path === this.watcher.directory ? undefined : relative(this.watcher.directory, path);
  }

  #open(reads: RunFolderReads): Producer {
    const producer = Producer.fastq([...reads.paths], {
      paired: reads.paths.length === 2,
      batchSize: this.options.batchSize,
      readsPerSecond: this.#rate,
    });
    if (this.#paused) producer.pause();
    return producer;
  }

  #progress(reads: RunFolderReads): FileProgress {
    let sampleIndex = this.#samples.indexOf(reads.sample);
    if (sampleIndex < 0) sampleIndex = this.#samples.push(reads.sample) - 1;
    return {
      path: reads.paths[0] as string,
      file: reads.file,
      sample: reads.sample,
      arrivedAt: new Date(reads.mtime),
      sampleIndex,
      reads: 0,
      unsettled: 0,
      analyses: [],
      ended: false,
      fault: undefined,
      unfinished: false,
    };
  }

  #record(reads: RunFolderReads): RunFileRecord {
    return {
      runId: this.ledger.runId,
      path: reads.paths[0] as string,
      paths: reads.paths,
      file: reads.file,
      size: reads.size,
      mtime: reads.mtime,
      fingerprints: reads.fingerprints,
      sample: reads.sample,
      reads: 0,
      state: 'TAKEN',
      reason: undefined,
    };
  }

  /** Ends a file once all its batches are settled: DONE, FAILED after a fault, SKIPPED when it held no reads. */
  #finishIfDone(file: FileProgress): void {
    if (!file.ended || file.unsettled > 0 || file.unfinished) return;
    const { reads, fault, analyses } = file;
    if (fault) this.#end(file.path, { state: 'FAILED', reads, reason: fault, analyses });
    else if (reads === 0) {
      this.#end(file.path, {
        state: 'SKIPPED',
        reason: { code: 'EMPTY_FILE', message: 'a reads file holds no reads' },
      });
    } else this.#end(file.path, { state: 'DONE', reads, analyses });
  }

  #end(path: string, ending: RunFileEnding): void {
    const rows = ending.state === 'SKIPPED' ? 0 : ending.analyses.length;
    this.#rowsUnstored += rows;
    void this.#write(() => this.ledger.store.finishFile(this.ledger.runId, path, ending))
      .catch(() => undefined)
      .finally(() => {
        this.#rowsUnstored -= rows;
        this.ledger.endingStored();
      });
  }

  /**
   * One ledger write, retried until stored (as the sink retries its rows), and waited for by
   * {@link flushed}. A write that failed before it was stored is kept among the run's warnings
   * once, then (unless it was itself a warning's).
   */
  #write(attempt: () => Promise<void>, { keepsWarning = false } = {}): Promise<void> {
    let failures = 0;
    let lastFailure = '';
    const write = retryWithBackoff(attempt, {
      initialDelayMs: 100,
      maxDelayMs: 5_000,
      onFailure: (error, retryInMs) => {
        failures += 1;
        lastFailure = error.message;
        this.#warn('LEDGER_WRITE_FAILED', 'file ledger write failed, retrying', { reason: error.message, retryInMs });
      },
    }).then(() => {
      if (failures === 0 || keepsWarning) return;
      const message = `a file ledger write failed ${failures} time(s) before it was stored: ${lastFailure}`;
      this.#keepWarning('LEDGER_WRITE_FAILED', message, undefined);
    });
    const tracked = write.catch(() => undefined).finally(() => this.#writes.delete(tracked));
    this.#writes.add(tracked);
    return write;
  }
}
