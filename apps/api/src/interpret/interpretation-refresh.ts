/**
 * The refresh: keeps stored interpretations speaking for the call as it stands. A live run's call
 * moves after its first confirmation (allele frequency, depth, filters); every so often, and at
 * the run's end, the variants whose call moved materially get the rules' text rewritten, in one
 * statement per batch (beside a model's text, the `rules` it carries). The model's text is kept,
 * its `writtenFor` naming the figures it speaks of, unless the class of its statement changed
 * (minority to fixed, a filter appearing): then it is asked again, at most `modelReasksPerRun`
 * times per run.
 */
import type { Logger } from '../logger.js';
import { type CallFigures, callFigures, statementClass, writtenFor } from './call-figures.js';
import type { InterpretationState, InterpretationStore, MovedVariant } from './interpretation-store.js';
import { type InterpretationListeners, interpretedEvent, type ModelInterpretation } from './interpreted-event.js';
import type { PendingCount } from './pending-count.js';
import type { ReferenceContextSource } from './reference-context.js';
import type { InterpretableVariant, RulesInterpretation } from './rules.js';
import { rulesInContext } from './rules-in-context.js';
import type { WriteWarning } from './write-warning.js';

/** Moved variants read and rewritten per statement. */
const REFRESH_BATCH = 500;

/** A rules' text rewritten for a moved call, and the call. */
interface Rewrite {
  variant: MovedVariant;
  row: {
    id: string;
    interpretation: RulesInterpretation & { writtenFor: CallFigures };
    source: string;
    state: InterpretationState;
    reask: boolean;
  };
}

/** What {@link InterpretationRefresh} needs. */
export interface InterpretationRefreshOptions {
  store: InterpretationStore;
  referenceContext: ReferenceContextSource;
  listeners: InterpretationListeners;
  pending: PendingCount;
  warning: WriteWarning;
  logger: Logger;
  /** How often the runs going on are refreshed. */
  intervalMs: number;
  /** Times per run the model is asked again about a call whose statement changed class. */
  modelReasksPerRun: number;
  /** Takes a variant back to the model; without it (no model) the rules' text is all there is. */
  handOff?: ((id: string, variant: InterpretableVariant) => void) | undefined;
}

/** Rewrites interpretations whose call moved, off the pipeline's path. */
export class InterpretationRefresh {
  readonly #options: InterpretationRefreshOptions;
  /** Runs going on, refreshed every `intervalMs`. */
  readonly #live = new Set<string>();
  /** Model re-asks spent, by run. */
  readonly #reasks = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> = Promise.resolve();
  #stopped = false;
  #rewritten = 0;
  #reasked = 0;
  #reasksRefused = 0;

  constructor(options: InterpretationRefreshOptions) {
    this.#options = options;
  }

  /** Interpretations rewritten by the rules because their call moved. */
  get rewritten(): number {
    return this.#rewritten;
  }

  /** Variants taken back to the model because their statement changed class. */
  get reasked(): number {
    return this.#reasked;
  }

  /** Variants whose statement changed class but whose run had spent its re-asks (the model's text kept). */
  get reasksRefused(): number {
    return this.#reasksRefused;
  }

  /** Counts `runId` as going on: it is refreshed every `intervalMs` until {@link ended}. */
  follow(runId: string): void {
    if (this.#stopped || this.#live.has(runId)) return;
    this.#live.add(runId);
    this.#schedule();
  }

  /** The run's final calls are stored: refreshes it once more and stops following it. */
  ended(runId: string): Promise<void> {
    this.#live.delete(runId);
    return this.refresh([runId]);
  }

  /** Refreshes `runIds` (default: the runs going on) after any refresh under way. */
  refresh(runIds: string[] = [...this.#live]): Promise<void> {
    this.#refreshing = this.#refreshing.then(() => this.#refresh(runIds));
    return this.#refreshing;
  }

  /** Stops the timer and waits for a refresh under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#refreshing;
  }

  #schedule(): void {
    if (this.#timer || this.#stopped || this.#live.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh().finally(() => this.#schedule());
    }, this.#options.intervalMs);
  }

  async #refresh(runIds: string[]): Promise<void> {
    let afterId = '0';
    try {
      for (;;) {
        const moved = await this.#options.store.moved(runIds, REFRESH_BATCH, afterId);
        if (moved.length > 0) await this.#rewrite(moved);
        if (moved.length < REFRESH_BATCH) return;
        afterId = (moved.at(-1) as MovedVariant).id;
      }
    } catch (error) {
      // The next refresh (or the run's end) finds the same moves again.
      this.#options.warning.warn('refreshing interpretations failed; they stay as written', error as Error);
    }
  }

  async #rewrite(moved: MovedVariant[]): Promise<void> {
    const { store, referenceContext, listeners, pending, handOff } = this.#options;
    const rewrites: Rewrite[] = [];
    const kept: Rewrite[] = [];
    for (const variant of moved) {
      const { id, source, state, basis } = variant;
      const interpretation = writtenFor((await rulesInContext(referenceContext, variant)).rules, variant);
      const byModel = source !== 'rules';
      // The model's text stands while its statement's class does, or once the run's re-asks are spent.
      const reask = byModel && handOff !== undefined && statementClass(basis) !== statementClass(callFigures(variant));
      const rewrite = { variant, row: { id, interpretation, source, state, reask } };
      if (byModel && !(reask && this.#spendReask(variant.runId))) kept.push(rewrite);
      else rewrites.push(rewrite);
    }
    const written = await store.rewriteRules(rewrites.map((rewrite) => rewrite.row));
    const beside = await store.rewriteModelRules(
      kept.map(({ row }) => ({ id: row.id, source: row.source, rules: row.interpretation })),
    );
    for (const { variant, row } of kept) {
      const stored = beside.get(row.id);
      if (!stored) continue;
      this.#rewritten += 1;
      listeners.emit(interpretedEvent(row.id, variant, row.source, stored as ModelInterpretation));
    }
    for (const { variant, row } of rewrites) {
      if (!written.has(row.id)) continue;
      this.#rewritten += 1;
      listeners.emit(interpretedEvent(row.id, variant, 'rules', row.interpretation));
      if (row.reask) {
        this.#reasked += 1;
        pending.detected();
        handOff?.(row.id, variant);
      }
    }
  }

  /** Takes one of the run's model re-asks; false (logged once per run) when they are spent. */
  #spendReask(runId: string): boolean {
    const spent = this.#reasks.get(runId) ?? 0;
    const limit = this.#options.modelReasksPerRun;
    if (spent < limit) {
      this.#reasks.set(runId, spent + 1);
      return true;
    }
    if (spent === limit) {
      this.#reasks.set(runId, spent + 1);
      this.#options.logger.info(
        { runId, modelReasksPerRun: limit },
        "run spent its model re-asks: moved calls keep the model's text, which names the figures it was written for",
      );
    }
    this.#reasksRefused += 1;
    return false;
  }
}
