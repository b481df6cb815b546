import type { VariantEffect } from '@helix/native';
import type { MutationDetected, PipelineObserver } from '../pipeline/events.js';
import { annField } from './ann-field.js';
import type { AnnotatableCall } from './run-annotation.js';

/** A call with its effects and, when it has any, its `INFO/ANN` value. */
export type PublishedCall<T> = T & { effects: VariantEffect[]; annotation?: string };

/** The key of a call's site within one run (contig names may hold colons, never tabs). */
function siteOf(call: AnnotatableCall): string {
  return `${call.contig}\t${call.position}\t${call.ref}\t${call.alt}`;
}

/**
 * The effects a run's publisher gave its calls, as their alarms carried them: a stored run's VCF
 * takes its `INFO/ANN` from these instead of annotating every call a second time. The `ANN`
 * values are written while the run's rows go to the database, not after.
 */
export class PublishedEffects {
  readonly #annotated = new Map<string, { effects: VariantEffect[]; annotation: string | undefined }>();
  #pending: MutationDetected[] = [];
  #scheduled = false;

  /** The observer to give the pipeline: it keeps what every alarm says. */
  readonly observer: Required<Pick<PipelineObserver, 'mutationDetected'>> = {
    mutationDetected: (alarm) => {
      this.#pending.push(alarm);
      if (this.#scheduled) return;
      this.#scheduled = true;
      // Alarms come just before the run's rows are written; waiting on the database leaves the
      // event loop idle, and the ANN values are built then.
      setImmediate(() => this.#settle());
    },
  };

  /** Each call with the effects its alarm carried; throws for a call no alarm announced. */
  annotate<T extends AnnotatableCall>(calls: readonly T[]): PublishedCall<T>[] {
    this.#settle();
    return calls.map((call) => {
      const published = this.#annotated.get(siteOf(call));
      if (published === undefined) {
        throw new Error(`${call.contig}:${call.position} ${call.ref}>${call.alt} was confirmed without an alarm`);
      }
      const { effects, annotation } = published;
      return { ...call, effects, ...(annotation !== undefined && { annotation }) };
    });
  }

  #settle(): void {
    this.#scheduled = false;
    for (const alarm of this.#pending) {
      this.#annotated.set(siteOf(alarm), { effects: alarm.effects, annotation: annField(alarm.alt, alarm.effects) });
    }
    this.#pending = [];
  }
}
