import type { Producer, ReadBatch } from '@helix/native';
import type { AnalysisRecord } from './records.js';

/** A file (or mate pair) of a DIRECTORY run, as the run follows it from taken to done. */
export interface TakenFile {
  /** The path the watcher handed out (R1's for a mate pair). */
  path: string;
  sample: string;
  /**
   * When the file arrived: its last modification time (the latest over mates), i.e. when the
   * sequencer finished writing it, so time to detection includes the watcher's discovery and settle.
   */
  arrivedAt: Date;
}

/** A batch as a run takes it: numbered across the whole run, with the file it came from. */
export interface TakenBatch {
  batch: ReadBatch;
  /** The file the batch was read from (DIRECTORY runs only). */
  file: TakenFile | undefined;
  /** The batch's sample: its index in {@link RunReadSource.samples}. */
  sample: number;
}

/** Complete files on disk the run has not taken yet (none for other sources). */
export interface ReadsWaiting {
  filesWaiting: number;
  bytesWaiting: number;
}

/** Where a run's batches come from: one producer, or a run folder's files one after another. */
export interface RunReadSource {
  /** The samples met so far, in first-seen order (a batch names its sample by index here). */
  readonly samples: readonly string[];
  /** The next batch, or null once the input has ended (or the source was closed). */
  next(): Promise<TakenBatch | null>;
  pause(): void;
  resume(): void;
  setRate(readsPerSecond: number): void;
  /**
   * Told when a batch it gave has left the run: `analysed` (with its analysis row unless the
   * detector stored it), or withdrawn / rejected. True when it keeps the row, to store it with
   * its file's ending; false leaves the row to the caller.
   */
  settled(taken: TakenBatch, analysed: boolean, analysis?: AnalysisRecord): boolean;
  /** Analysis rows it keeps (with its files' endings) not stored yet: lag, as the sink's are. */
  readonly rowsUnstored: number;
  /** Resolves once every ledger write begun so far has been stored. */
  flushed(): Promise<void>;
  readonly waiting: ReadsWaiting;
  close(): void;
}

/** A run's read source that is one producer (simulated reads, or FASTQ files given up front). */
export class ProducerReadSource implements RunReadSource {
  readonly waiting: ReadsWaiting = { filesWaiting: 0, bytesWaiting: 0 };
  readonly rowsUnstored = 0;
  readonly samples: readonly string[];

  constructor(
    private readonly producer: Producer,
    /** The run's one sample. */
    sample: string,
  ) {
    this.samples = [sample];
  }

  async next(): Promise<TakenBatch | null> {
    const batch = await this.producer.next();
    return batch && { batch, file: undefined, sample: 0 };
  }

  pause(): void {
    this.producer.pause();
  }

  resume(): void {
    this.producer.resume();
  }

  setRate(readsPerSecond: number): void {
    this.producer.setRate(readsPerSecond);
  }

  settled(): boolean {
    return false;
  }

  async flushed(): Promise<void> {}

  close(): void {
    this.producer.close();
  }
}
