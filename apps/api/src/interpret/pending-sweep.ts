/**
 * The pending sweep: looks in the database for confirmed variants still waiting for their
 * interpretation — at start and every `intervalMs` — and hands them to the rules writer or the
 * model worker. It is how variants come back after a full queue, a failed write or a restart.
 */
import { type InterpretationStore, type PendingVariant, siteKey } from './interpretation-store.js';
import type { PendingCount } from './pending-count.js';
import type { InterpretableVariant } from './rules.js';
import type { RulesOrigin } from './rules-writer.js';
import type { WriteWarning } from './write-warning.js';

/** Takes the variants stored without any interpretation (the `RulesWriter`). */
export interface RulesDestination {
  /** True while the variant of `key` is queued or being written. */
  holds(key: string): boolean;
  /** Queues `variant` for its rules' interpretation. */
  offer(variant: InterpretableVariant, origin: RulesOrigin): void;
}

/** Takes the variants whose rules are stored and want the model's (the `ModelWorker`). */
export interface ModelDestination {
  /** True when more work is welcome now; otherwise the sweep leaves such variants in the database. */
  readonly accepting: boolean;
  /** True while the variant of `key` is queued or being asked about. */
  holds(key: string): boolean;
  /** Queues the stored variant `id` for the model. */
  offer(id: string, variant: InterpretableVariant): void;
}

/** What {@link PendingSweep} needs. */
export interface PendingSweepOptions {
  store: InterpretationStore;
  pending: PendingCount;
  warning: WriteWarning;
  rules: RulesDestination;
  /** Absent when no model is configured. */
  model: ModelDestination | undefined;
  /** How often to look (15 s by default in the service). */
  intervalMs: number;
  /** Pending variants taken per sweep. */
  limit: number;
}

/** Brings pending variants from the database back to the writers, a slice at a time. */
export class PendingSweep {
  readonly #options: PendingSweepOptions;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  #cursor = '0';
  #stopped = false;

  constructor(options: PendingSweepOptions) {
    this.#options = options;
  }

  /** Sweeps now, then every `intervalMs` until stopped. */
  async start(): Promise<void> {
    await this.sweep();
    this.#schedule();
  }

  /** Stops the timer and waits for a sweep under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#sweeping;
  }

  /** Looks for pending variants now (joining a sweep under way); a failure is logged, never thrown. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweepOnce()
      .catch((error: Error) => this.#options.warning.warn('looking for pending interpretations failed', error))
      .finally(() => {
        this.#sweeping = undefined;
      });
    return this.#sweeping;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.sweep().finally(() => this.#schedule());
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  async #sweepOnce(): Promise<void> {
    const { store, pending, model, limit } = this.#options;
    const rows = await store.pending(limit, this.#cursor, model?.accepting ?? false);
    // Walk the pending rows in id order, a slice per sweep; start over at the end.
    this.#cursor = rows.length < limit ? '0' : (rows[rows.length - 1]?.id ?? '0');
    for (const row of rows) this.#handOver(row);
    pending.recounted(await store.countPending());
  }

  #handOver(row: PendingVariant): void {
    const { rules, model } = this.#options;
    const key = siteKey(row);
    if (rules.holds(key) || model?.holds(key)) return;
    const { id, hasRules, attempts: _attempts, ...variant } = row;
    if (!hasRules) rules.offer(variant, 'stored');
    else model?.offer(id, variant);
  }
}
