/**
 * The rules writer: stores the rules' interpretation of each confirmed variant, gathered for a
 * moment and written in one statement per batch. A variant whose row the sink has not written yet
 * is tried again a few times, then left pending in the database for the sweep.
 */

import { writtenFor } from './call-figures.js';
import { type InterpretationStore, siteKey } from './interpretation-store.js';
import { type InterpretationListeners, interpretedEvent } from './interpreted-event.js';
import type { PendingCount } from './pending-count.js';
import type { ReferenceContextSource } from './reference-context.js';
import type { InterpretableVariant } from './rules.js';
import { rulesInContext } from './rules-in-context.js';
import { WorkQueue } from './work-queue.js';
import type { WriteWarning } from './write-warning.js';

/** Tries to write a variant's rules before leaving it to the sweep (its row may not be written yet). */
export const RULES_WRITE_TRIES = 10;

/** Variants per statement. */
const RULES_BATCH = 500;

/** Where a variant was found, which says how often its rules are tried. */
export type RulesOrigin =
  /** Announced by the pipeline: its row may still be on its way, so it is tried {@link RULES_WRITE_TRIES} times. */
  | 'announced'
  /** Found stored by the sweep: tried once. */
  | 'stored';

/** What {@link RulesWriter} needs. */
export interface RulesWriterOptions {
  store: InterpretationStore;
  referenceContext: ReferenceContextSource;
  listeners: InterpretationListeners;
  pending: PendingCount;
  warning: WriteWarning;
  /** Variants held in memory; more stay pending in the database. */
  capacity: number;
  /** How long variants gather before their rules are written. */
  flushMs: number;
  /**
   * Takes the stored variants that still want the model's interpretation. Without it the rules'
   * interpretation is final (no model is configured).
   */
  handOff?: ((id: string, variant: InterpretableVariant) => void) | undefined;
}

interface RulesWork {
  variant: InterpretableVariant;
  tries: number;
}

/** Writes the rules' interpretation of queued variants, in batches, off the pipeline's path. */
export class RulesWriter {
  readonly #options: RulesWriterOptions;
  readonly #queue: WorkQueue<RulesWork>;
  readonly #writing = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #stopped = false;
  #interpreted = 0;

  constructor(options: RulesWriterOptions) {
    this.#options = options;
    this.#queue = new WorkQueue(options.capacity);
  }

  /** Variants whose rules' interpretation this writer stored. */
  get interpreted(): number {
    return this.#interpreted;
  }

  /** Variants waiting to be written. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Variants refused because the queue was full (they stay pending in the database). */
  get overflowed(): number {
    return this.#queue.dropped;
  }

  /** True while the variant of `key` waits or is being written. */
  holds(key: string): boolean {
    return this.#writing.has(key) || this.#queue.has(key);
  }

  /** Queues `variant` for its rules' interpretation; returns at once. */
  offer(variant: InterpretableVariant, origin: RulesOrigin): void {
    const tries = origin === 'announced' ? 0 : RULES_WRITE_TRIES - 1;
    if (this.#queue.offer(siteKey(variant), { variant, tries })) this.#schedule();
  }

  /** Stops the timer, waits for a write under way, and writes what is still queued. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#flushing;
    // Rules are cheap: write what is queued rather than leave it to the next start's sweep.
    if (this.#queue.length > 0) await this.#flush(true);
  }

  #schedule(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushing ??= this.#flush(false).finally(() => {
        this.#flushing = undefined;
        if (this.#queue.length > 0) this.#schedule();
      });
    }, this.#options.flushMs);
  }

  /** Writes a batch, and more while a full batch waits; `all` empties the queue whatever fails. */
  async #flush(all: boolean): Promise<void> {
    const { store, referenceContext, listeners, pending, handOff } = this.#options;
    do {
      const work = this.#queue.take(RULES_BATCH);
      if (work.length === 0) return;
      for (const item of work) this.#writing.add(siteKey(item.variant));
      try {
        const rows = await Promise.all(
          work.map(async (item) => ({
            variant: item.variant,
            interpretation: writtenFor((await rulesInContext(referenceContext, item.variant)).rules, item.variant),
          })),
        );
        const found = await store.writeRules(rows, handOff === undefined);
        for (const [index, row] of rows.entries()) {
          const key = siteKey(row.variant);
          const stored = found.get(key);
          if (!stored) {
            // Its row is not written yet (the sink batches); try again shortly, then leave it to the sweep.
            const item = work[index] as RulesWork;
            if (item.tries + 1 < RULES_WRITE_TRIES && !this.#stopped) {
              this.#queue.offer(key, { variant: item.variant, tries: item.tries + 1 });
            }
            continue;
          }
          if (stored.written) {
            this.#interpreted += 1;
            if (!handOff) pending.settled();
            listeners.emit(interpretedEvent(stored.id, row.variant, 'rules', row.interpretation));
          } else if (!stored.pending) {
            // Announced again after its interpretation was final (confirmed, then candidate, then
            // confirmed again): that announcement waits for nothing.
            pending.settled();
          }
          if (handOff && stored.pending) handOff(stored.id, row.variant);
        }
      } catch (error) {
        // The database is unreachable: the variants stay pending there, and the sweep brings them back.
        this.#options.warning.warn('storing rules interpretations failed; they stay pending', error as Error);
        if (!all) return;
      } finally {
        for (const item of work) this.#writing.delete(siteKey(item.variant));
      }
    } while (all || this.#queue.length >= RULES_BATCH);
  }
}
