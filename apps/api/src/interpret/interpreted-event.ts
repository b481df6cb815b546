/** What is announced when an interpretation is stored, and the listeners it is announced to. */

import type { Logger } from '../logger.js';
import type { CallFigures } from './call-figures.js';
import type { Significance } from './prompt.js';
import type { InterpretableVariant, RulesInterpretation } from './rules.js';

/** A variant's interpretation as stored, announced to listeners (e.g. a GraphQL subscription). */
export interface VariantInterpreted {
  /** `variants.id` (int8, as text). */
  id: string;
  runId: string;
  contig: string;
  position: number;
  ref: string;
  alt: string;
  /** "rules" or the model's name. */
  source: string;
  interpretation: RulesInterpretation | ModelInterpretation;
}

/** The model's interpretation as stored (`source` = the model's name), with the rules' beside it. */
export interface ModelInterpretation {
  source: string;
  summary: string;
  significance: Significance;
  /** Round trip of the request that carried it (retries included), in milliseconds. */
  latencyMs: number;
  /** Variants in that request. */
  batchSize: number;
  rules: RulesInterpretation;
  /** The call figures the model was asked about. */
  writtenFor: CallFigures;
}

/** The event announcing `interpretation` of the stored variant `id`. */
export function interpretedEvent(
  id: string,
  variant: InterpretableVariant,
  source: string,
  interpretation: VariantInterpreted['interpretation'],
): VariantInterpreted {
  return {
    id,
    runId: variant.runId,
    contig: variant.contig,
    position: variant.position,
    ref: variant.ref,
    alt: variant.alt,
    source,
    interpretation,
  };
}

/** The listeners of stored interpretations; one that throws is logged and the others still hear. */
export class InterpretationListeners {
  readonly #listeners = new Set<(event: VariantInterpreted) => void>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Calls `listener` for every interpretation stored; returns the unsubscribe function. */
  add(listener: (event: VariantInterpreted) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener of `event`. */
  emit(event: VariantInterpreted): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn({ reason: (error as Error).message }, 'interpretation listener failed');
      }
    }
  }
}
