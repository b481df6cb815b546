/** Where a run's reads are now; `produced = analysed + queued + inFlight + discarded` always. */
export interface ReadCounts {
  produced: number;
  analysed: number;
  /** Waiting in the run's queue. */
  queued: number;
  /** Handed to a detector and not finished. */
  inFlight: number;
  /** Dropped by a stop without drain, or in a batch the detector rejected. */
  discarded: number;
}

/** How many batches went where. */
export interface BatchCounts {
  produced: number;
  analysed: number;
  /** Dropped by a stop without drain. */
  discarded: number;
}

/** Raised when a batch is moved out of a place that does not hold its reads: a bug in the run. */
export class LedgerImbalanceError extends Error {
  override name = 'LedgerImbalanceError';
}

/**
 * The accounts of one run. Every read taken from the producer enters as queued and only ever moves
 * on — to in flight, then analysed or discarded — so `produced = analysed + queued + in flight +
 * discarded` holds after every entry, and a move of more reads than a place holds throws.
 */
export class RunLedger {
  readonly #reads: ReadCounts = { produced: 0, analysed: 0, queued: 0, inFlight: 0, discarded: 0 };
  readonly #batches: BatchCounts = { produced: 0, analysed: 0, discarded: 0 };
  #ambiguousReads = 0;
  #mappedReads = 0;
  #properlyPairedReads = 0;

  /** A copy of the read counts. */
  get reads(): ReadCounts {
    return { ...this.#reads };
  }

  /** A copy of the batch counts. */
  get batches(): BatchCounts {
    return { ...this.#batches };
  }

  /** Reads whose bases held characters other than ACGTN (read as N). */
  get ambiguousReads(): number {
    return this.#ambiguousReads;
  }

  /** Analysed reads that mapped to the reference. */
  get mappedReads(): number {
    return this.#mappedReads;
  }

  /** Analysed reads placed in proper pairs. */
  get properlyPairedReads(): number {
    return this.#properlyPairedReads;
  }

  /** Whether reads are in a detector now. */
  get busy(): boolean {
    return this.#reads.inFlight > 0;
  }

  /** Reads and batches analysed and counted before a restart (a resumed run's DONE files). */
  carriedOver(reads: number, batches: number): void {
    this.#reads.produced += reads;
    this.#reads.analysed += reads;
    this.#batches.produced += batches;
    this.#batches.analysed += batches;
  }

  /** Mapped reads of a resumed run's DONE files, read again: their reads were {@link carriedOver}. */
  replayed(mappedReads: number, properlyPairedReads: number): void {
    this.#mappedReads += mappedReads;
    this.#properlyPairedReads += properlyPairedReads;
  }

  /** A batch taken from the producer into the queue. */
  taken(batch: { reads: number; ambiguousReads: number }): void {
    this.#reads.produced += batch.reads;
    this.#reads.queued += batch.reads;
    this.#batches.produced += 1;
    this.#ambiguousReads += batch.ambiguousReads;
  }

  /** A queued batch handed to a detector. */
  dispatched(reads: number): void {
    this.#move(reads, 'queued', 'inFlight');
  }

  /** A batch a detector finished, `mappedReads` of its reads mapped, `properlyPairedReads` in proper pairs. */
  analysed(reads: number, mappedReads: number, properlyPairedReads = 0): void {
    if (mappedReads > reads) throw new LedgerImbalanceError(`${mappedReads} of ${reads} reads cannot have mapped`);
    this.#move(reads, 'inFlight', 'analysed');
    this.#mappedReads += mappedReads;
    this.#properlyPairedReads += properlyPairedReads;
    this.#batches.analysed += 1;
  }

  /** A batch withdrawn by a stop without drain, from the queue or from detectors that had not begun it. */
  withdrawn(reads: number, from: 'queued' | 'inFlight'): void {
    this.#move(reads, from, 'discarded');
    this.#batches.discarded += 1;
  }

  /** A batch the detector rejected (it fails the run; its reads are not analysed). */
  rejected(reads: number): void {
    this.#move(reads, 'inFlight', 'discarded');
  }

  #move(reads: number, from: 'queued' | 'inFlight', to: 'inFlight' | 'analysed' | 'discarded'): void {
    if (reads > this.#reads[from]) {
      throw new LedgerImbalanceError(`${reads} reads cannot leave ${from}, which holds ${this.#reads[from]}`);
    }
    this.#reads[from] -= reads;
    this.#reads[to] += reads;
  }
}
