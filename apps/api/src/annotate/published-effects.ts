import type { Annotation, VariantEffect } from '@helix/native';
import type { MutationDetected, PipelineObserver } from '../pipeline/events.js';
import { annFieldOf } from './ann-field.js';
import { type AnnotatableCall, annotateCalls } from './run-annotation.js';

/** A call with its effects and, when it has any, its `INFO/ANN` value. */
export type PublishedCall<T> = T & { effects: VariantEffect[]; annotation?: string };

/** The key of a call's site within one run (contig names may hold colons, never tabs). */
function siteOf(call: AnnotatableCall): string {
  return `${call.contig}\t${call.position}\t${call.ref}\t${call.alt}`;
}

/**
 * The effects a run's publisher gave its calls, as their alarms carried them: a stored run's VCF
 * takes its `INFO/ANN` from these instead of annotating every call a second time, as the
 * annotator wrote them beside the effects ({@link annFieldOf}).
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
      // event loop idle, and they are kept then.
      setImmediate(() => this.#settle());
    },
  };

  /**
   * Each call with the effects its alarm carried; the calls no alarm announced (a population
   * run's filtered ones) are annotated now, in one crossing to `annotation`.
   */
  annotate<T extends AnnotatableCall>(calls: readonly T[], annotation: Annotation): PublishedCall<T>[] {
    this.#settle();
    const published = calls.map((call) => this.#annotated.get(siteOf(call)));
    const unannounced = calls.filter((_, index) => published[index] === undefined);
    const annotated = annotateCalls(annotation, unannounced);
    let next = 0;
    return calls.map((call, index) => {
      const { effects, annotation: ann } = published[index] ?? (annotated[next++] as PublishedCall<T>);
      return { ...call, effects, ...(ann !== undefined && { annotation: ann }) };
    });
  }

  #settle(): void {
    this.#scheduled = false;
    for (const alarm of this.#pending) {
      this.#annotated.set(siteOf(alarm), { effects: alarm.effects, annotation: annFieldOf(alarm.alt, alarm.effects) });
    }
    this.#pending = [];
  }
}
