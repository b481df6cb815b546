import type pg from 'pg';
import { type ConcernInput, validConcern } from './change.js';
import { ConcernIndex } from './match.js';
import { type MergeOutcome, type MutationOfConcern, MutationOfConcernStore } from './store.js';

/** How long a reading of the list serves matches before it is read again. */
export const CONCERN_LIST_TTL_MS = 5_000;

/** The list cannot be read or changed before the database is ready. */
export class ConcernListUnavailableError extends Error {
  override name = 'ConcernListUnavailableError';
  constructor() {
    super('The mutations of concern cannot be read until the database is ready; try again shortly.');
  }
}

/**
 * The mutations of concern of this process: changes go to PostgreSQL, and matching uses one
 * reading of the list held in memory. A change made here drops that reading at once; one made at
 * another replica is seen here when the reading is older than {@link CONCERN_LIST_TTL_MS}, so
 * replicas agree within that time.
 */
export class MutationsOfConcern {
  #reading: { index: Promise<ConcernIndex>; at: number } | undefined;

  constructor(
    private readonly options: {
      /** The database pool once it is ready. */
      pool: () => pg.Pool | undefined;
      ttlMs?: number;
    },
  ) {}

  /** Every entry, read from the database, by gene then change. */
  list(): Promise<MutationOfConcern[]> {
    return this.#store().list();
  }

  /** Adds an entry; throws `ConcernInputError` or `DuplicateMutationOfConcernError`. */
  async add(input: ConcernInput): Promise<MutationOfConcern> {
    const added = await this.#store().insert(validConcern(input));
    this.invalidate();
    return added;
  }

  /** Removes the entry with this id; false if there is none. */
  async remove(id: string): Promise<boolean> {
    const removed = await this.#store().remove(id);
    if (removed) this.invalidate();
    return removed;
  }

  /** Adds entries not listed yet and sets the labels of those that are; throws `ConcernInputError`. */
  async merge(entries: readonly ConcernInput[]): Promise<MergeOutcome> {
    const outcome = await this.#store().merge(entries.map(validConcern));
    this.invalidate();
    return outcome;
  }

  /** The list as matching sees it: the held reading, or a new one once it is older than the TTL. */
  index(): Promise<ConcernIndex> {
    const ttlMs = this.options.ttlMs ?? CONCERN_LIST_TTL_MS;
    const reading = this.#reading;
    if (reading && Date.now() - reading.at < ttlMs) return reading.index;
    const index = (async () => new ConcernIndex(await this.list()))();
    const next = { index, at: Date.now() };
    this.#reading = next;
    // A failed reading is not kept: the next match asks the database again.
    index.catch(() => {
      if (this.#reading === next) this.#reading = undefined;
    });
    return index;
  }

  /** Drops the held reading, so the next match reads the list again. */
  invalidate(): void {
    this.#reading = undefined;
  }

  #store(): MutationOfConcernStore {
    const pool = this.options.pool();
    if (!pool) throw new ConcernListUnavailableError();
    return new MutationOfConcernStore(pool);
  }
}
