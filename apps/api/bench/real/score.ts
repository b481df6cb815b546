import { classOf, type EventClass } from './events.js';
import type { Comparison } from './match.js';

/** The classes in the order reports list them. */
export const EVENT_CLASSES: readonly EventClass[] = ['SNV', 'SUB', 'INDEL', 'LARGE_DEL'];

/** Recall and precision of one class. */
export interface ClassScore {
  /** Published events of the class. */
  expected: number;
  found: number;
  /** Calls counted in the class: those describing one of its events, and false ones of its shape. */
  called: number;
  falseCalls: number;
  recall: number;
  precision: number;
}

/** A call set's figures against one data set. */
export interface Score {
  classes: Record<EventClass, ClassScore>;
  /** Published events found, of all published events. */
  found: number;
  expected: number;
  falseCalls: number;
  recall: number;
  precision: number;
  /** Labels of the published events not found. */
  missed: string[];
  /** Evidence-only events (e.g. a minority deletion) and whether the call set shows them. */
  evidence: { label: string; frequency: number; found: boolean }[];
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}

/** Recall over the published events and precision over all calls, overall and per class. */
export function scoreComparison(comparison: Comparison): Score {
  const published = comparison.events.filter((outcome) => outcome.event.published);
  const classes = {} as Record<EventClass, ClassScore>;
  for (const eventClass of EVENT_CLASSES) {
    const expected = published.filter((outcome) => outcome.event.class === eventClass);
    const found = expected.filter((outcome) => outcome.found).length;
    const trueCalls = comparison.trueCalls.filter((entry) => entry.class === eventClass).length;
    const falseCalls = comparison.falseCalls.filter((call) => classOf(call) === eventClass).length;
    classes[eventClass] = {
      expected: expected.length,
      found,
      called: trueCalls + falseCalls,
      falseCalls,
      recall: ratio(found, expected.length),
      precision: ratio(trueCalls, trueCalls + falseCalls),
    };
  }
  const found = published.filter((outcome) => outcome.found).length;
  const trueCalls = comparison.trueCalls.length;
  return {
    classes,
    found,
    expected: published.length,
    falseCalls: comparison.falseCalls.length,
    recall: ratio(found, published.length),
    precision: ratio(trueCalls, trueCalls + comparison.falseCalls.length),
    missed: published.filter((outcome) => !outcome.found).map((outcome) => outcome.event.label),
    evidence: comparison.events
      .filter((outcome) => !outcome.event.published)
      .map((outcome) => ({ label: outcome.event.label, frequency: outcome.event.frequency, found: outcome.found })),
  };
}
