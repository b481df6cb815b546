import { Producer } from '@helix/native';
import { RunFolderGoneError, type RunFolderReads, type RunFolderWatcher } from '../watch/index.js';
import type { ReadsWaiting, RunReadSource, TakenBatch, TakenFile } from './read-source.js';
import type { ResultStore } from './records.js';
import { retryWithBackoff } from './retry.js';
import { type RunFileFaultCode, readFailureCode, readFailureMessage, UNCLASSIFIED_SAMPLE } from './run-file-faults.js';

/** How a DIRECTORY run reads each file it takes. */
export interface DirectoryReadOptions {
  batchSize: number;
  readsPerSecond: number;
}

/** Where a DIRECTORY run keeps its file ledger, and whom it tells of a file it could not read. */
export interface DirectoryLedger {
  runId: string;
  store: Pick<ResultStore, 'takeFile' | 'finishFile'>;
  warning(message: string, detail: Record<string, unknown>): void;
}

/** A file being read or analysed: its reads so far, and its batches not yet settled. */
interface FileProgress extends TakenFile {
  sampleIndex: number;
  reads: number;
  unsettled: number;
  /** Every batch has been read from it. */
  ended: boolean;
  /** A batch of it was not analysed, or it could not be read to its end: it never becomes DONE. */
  broken: boolean;
}

/**
 * The reads of a run folder, file after file: a file is taken from the watcher only when the
 * previous one has been read, and only when the run asks for its next batch — so a throttled run
 * leaves the backlog on disk. Each taken file enters the ledger as TAKEN before its first read;
 * once all its batches are analysed it becomes DONE with its reads, in one write.
 */
export class DirectoryReadSource implements RunReadSource {
  #current: { file: FileProgress; producer: Producer } | undefined;
  readonly #samples: string[];
  #sequence = 0;
  #paused = false;
  #closed = false;
  #rate: number;
  /** Files entered into the ledger by this process. */
  #filesTaken = 0;
  #unclassifiedWarned = false;
  readonly #writes = new Set<Promise<void>>();

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
  }

  get samples(): readonly string[] {
    return this.#samples;
  }

  get waiting(): ReadsWaiting {
    const { filesWaiting, bytesWaiting } = this.watcher.backlog;
    return { filesWaiting, bytesWaiting };
  }

  async next(): Promise<TakenBatch | null> {
    while (!this.#closed) {
      const current = this.#current ?? (await this.#takeFile());
      if (!current) return null;
      const batch = await current.producer.next().catch((error: Error) => {
        current.file.broken = true;
        const code = readFailureCode(error);
        this.#warn(code, readFailureMessage(code), {
          path: current.file.path,
          reason: error.message,
          readsKept: current.file.reads,
        });
        return null;
      });
      if (batch) {
        current.file.reads += batch.reads;
        current.file.unsettled += 1;
        return {
          batch: { ...batch, sequence: this.#sequence++ },
          file: current.file,
          sample: current.file.sampleIndex,
        };
      }
      current.producer.close();
      // A file cut short by close() was not read to its end: it stays TAKEN, to be read again.
      if (this.#closed) current.file.broken = true;
      else if (!current.file.broken && current.file.reads === 0) {
        this.#warn('EMPTY_FILE', 'a reads file holds no reads', { path: current.file.path });
      }
      current.file.ended = true;
      this.#current = undefined;
      this.#finishIfDone(current.file);
    }
    return null;
  }

  pause(): void {
    this.#paused = true;
    this.#current?.producer.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#current?.producer.resume();
  }

  setRate(readsPerSecond: number): void {
    this.#rate = readsPerSecond;
    this.#current?.producer.setRate(readsPerSecond);
  }

  settled(taken: TakenBatch, analysed: boolean): void {
    const file = taken.file as FileProgress | undefined;
    if (!file) return;
    file.unsettled -= 1;
    if (!analysed) file.broken = true;
    this.#finishIfDone(file);
  }

  async flushed(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all(this.#writes);
  }

  close(): void {
    this.#closed = true;
    this.watcher.close();
    this.#current?.producer.close();
  }

  /** Pulls the next complete file from the watcher (warnings go to the run), enters it, opens it. */
  async #takeFile(): Promise<{ file: FileProgress; producer: Producer } | undefined> {
    for (;;) {
      const pulled = await this.watcher.next().catch((error: unknown) => {
        if (error instanceof RunFolderGoneError) {
          this.#warn('RUN_FOLDER_GONE', error.message, { path: error.directory });
        }
        throw error;
      });
      if (this.#closed) return undefined;
      if (pulled.done) {
        if (this.#filesTaken === 0 && this.#samples.length === 0) {
          this.#warn('EMPTY_RUN', 'the run ended (end marker) without a reads file', {
            path: this.watcher.directory,
          });
        }
        return undefined;
      }
      const event = pulled.value;
      if (event.type === 'warning') {
        this.ledger.warning(event.message, { runId: this.ledger.runId, code: event.code, path: event.path });
        continue;
      }
      if (event.sample === UNCLASSIFIED_SAMPLE) {
        this.#skipUnclassified(event);
        continue;
      }
      this.#filesTaken += 1;
      await this.#write(() => this.ledger.store.takeFile(this.#record(event)));
      try {
        this.#current = { file: this.#progress(event), producer: this.#open(event) };
        return this.#current;
      } catch (error) {
        this.#warn('UNREADABLE_FILE', 'a reads file could not be opened; it is left out', {
          path: event.paths[0],
          reason: (error as Error).message,
        });
      }
    }
  }

  /** Leaves out a file of the `unclassified` barcode folder; the first one is warned of, for them all. */
  #skipUnclassified(reads: RunFolderReads): void {
    if (this.#unclassifiedWarned) return;
    this.#unclassifiedWarned = true;
    const message = 'reads without a barcode (unclassified) belong to no sample; they are not read';
    this.#warn('UNCLASSIFIED_SKIPPED', message, { path: reads.paths[0] });
  }

  /** A named warning of this run, for the log. */
  #warn(code: RunFileFaultCode, message: string, detail: Record<string, unknown>): void {
    this.ledger.warning(message, { runId: this.ledger.runId, code, ...detail });
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
      sample: reads.sample,
      arrivedAt: new Date(reads.mtime),
      sampleIndex,
      reads: 0,
      unsettled: 0,
      ended: false,
      broken: false,
    };
  }

  #record(reads: RunFolderReads) {
    return {
      runId: this.ledger.runId,
      path: reads.paths[0] as string,
      paths: reads.paths,
      size: reads.size,
      mtime: reads.mtime,
      sample: reads.sample,
      reads: 0,
      state: 'TAKEN' as const,
    };
  }

  #finishIfDone(file: FileProgress): void {
    if (!file.ended || file.unsettled > 0 || file.broken) return;
    void this.#write(() => this.ledger.store.finishFile(this.ledger.runId, file.path, file.reads));
  }

  /** One ledger write, retried until stored (as the sink retries its rows), and waited for by {@link flushed}. */
  #write(attempt: () => Promise<void>): Promise<void> {
    const write = retryWithBackoff(attempt, {
      initialDelayMs: 100,
      maxDelayMs: 5_000,
      onFailure: (error, retryInMs) =>
        this.#warn('LEDGER_WRITE_FAILED', 'file ledger write failed, retrying', { reason: error.message, retryInMs }),
    });
    const tracked = write.catch(() => undefined).finally(() => this.#writes.delete(tracked));
    this.#writes.add(tracked);
    return write;
  }
}
