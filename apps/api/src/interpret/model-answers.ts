/**
 * The model's answers, stored: valid entries become the variants' final interpretation; an invalid
 * answer, or the entries an answer left out, count against their variants until they are given up
 * (REJECTED, the rules' interpretation kept).
 */
import type { Logger } from '../logger.js';
import { callFigures } from './call-figures.js';
import type { ModelCallOutcome } from './groq.js';
import type { InterpretationStore } from './interpretation-store.js';
import { type InterpretationListeners, interpretedEvent, type ModelInterpretation } from './interpreted-event.js';
import type { PendingCount } from './pending-count.js';
import type { PromptVariant } from './prompt.js';

/** An answer the model gave: usable, or invalid as a whole. */
export type ModelAnswer = Extract<ModelCallOutcome, { kind: 'answered' | 'invalid' }>;

/** A batch as it was asked about: the stored variants' ids and, index for index, their prompts. */
export interface AskedBatch {
  ids: string[];
  prompts: PromptVariant[];
}

/** What {@link ModelAnswers} needs. */
export interface ModelAnswersOptions {
  store: InterpretationStore;
  listeners: InterpretationListeners;
  pending: PendingCount;
  logger: Logger;
  /** The model's name, stored as the interpretation's `source`. */
  model: string;
  /** Invalid answers for a variant before it is given up. */
  maxAttempts: number;
}

/** Stores what the model answered and counts what it got wrong. */
export class ModelAnswers {
  readonly #options: ModelAnswersOptions;
  #interpreted = 0;
  #invalid = 0;
  #rejected = 0;
  #lastLatencyMs: number | null = null;

  constructor(options: ModelAnswersOptions) {
    this.#options = options;
  }

  /** Variants whose model interpretation was stored. */
  get interpreted(): number {
    return this.#interpreted;
  }

  /** Answers rejected, wholly or in part, as invalid. */
  get invalid(): number {
    return this.#invalid;
  }

  /** Variants given up on after too many invalid answers. */
  get rejected(): number {
    return this.#rejected;
  }

  /** Latency of the last usable answer, in milliseconds. */
  get lastLatencyMs(): number | null {
    return this.#lastLatencyMs;
  }

  /** Stores `answer` to `batch`: its valid entries as final, its invalid part as one more attempt. */
  async store(batch: AskedBatch, answer: ModelAnswer): Promise<void> {
    const { store, listeners, pending, logger, model } = this.#options;
    const size = batch.ids.length;
    if (answer.kind === 'invalid') {
      this.#invalid += 1;
      logger.warn({ model, reason: answer.reason, variants: size }, 'model answer rejected; rules interpretation kept');
      await this.#reject(batch.ids);
      return;
    }
    this.#lastLatencyMs = answer.latencyMs;
    const rows: { id: string; prompt: PromptVariant; interpretation: ModelInterpretation }[] = [];
    for (const [index, entry] of answer.answer.entries) {
      const prompt = batch.prompts[index] as PromptVariant;
      rows.push({
        id: batch.ids[index] as string,
        prompt,
        interpretation: {
          source: model,
          summary: entry.summary,
          significance: entry.significance,
          latencyMs: answer.latencyMs,
          batchSize: size,
          rules: prompt.rules,
          writtenFor: callFigures(prompt.variant),
        },
      });
    }
    await store.writeModel(
      model,
      rows.map((row) => ({ id: row.id, interpretation: row.interpretation })),
    );
    this.#interpreted += rows.length;
    pending.settled(rows.length);
    for (const { id, prompt, interpretation } of rows) {
      listeners.emit(interpretedEvent(id, prompt.variant, model, interpretation));
    }
    if (answer.answer.missing.length > 0) {
      this.#invalid += 1;
      logger.warn(
        { model, missing: answer.answer.missing.length, variants: size },
        'model answer incomplete; the variants left out keep their rules interpretation for now',
      );
      await this.#reject(answer.answer.missing.map((index) => batch.ids[index] as string));
    }
  }

  /** Counts an invalid answer against variants; they come back with the sweep until given up. */
  async #reject(ids: string[]): Promise<void> {
    const rejected = await this.#options.store.recordRejections(ids, this.#options.maxAttempts);
    this.#rejected += rejected.length;
    this.#options.pending.settled(rejected.length);
  }
}
