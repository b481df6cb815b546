import {
  type Edit,
  type EventClass,
  type ExpectedEvent,
  LARGE_DELETION_MIN,
  LARGE_DELETION_TOLERANCE,
} from './events.js';
import type { Contig } from './fasta.js';
import { applyEdits, leftNormalise } from './normalise.js';
import type { Call } from './vcf-calls.js';

/** Bases either side of an expected event within which calls are taken to describe it. */
export const MATCH_PADDING = 10;

/** How one expected event fared. */
export interface EventOutcome {
  event: ExpectedEvent;
  found: boolean;
  /** The calls that describe it (several for a substitution written as a run of SNVs). */
  calls: Call[];
}

/** The comparison of one call set with the expected events. */
export interface Comparison {
  events: EventOutcome[];
  /** Calls that describe no expected event. */
  falseCalls: Call[];
  /** Calls that describe one, each with the class of the event it describes. */
  trueCalls: { call: Call; class: EventClass }[];
}

interface Span {
  from: number;
  to: number;
}

/** The reference bases an edit touches; an insertion touches the bases either side of it. */
function spanOf(edit: { start: number; ref: string }): Span {
  return edit.ref === ''
    ? { from: edit.start - 1, to: edit.start }
    : { from: edit.start, to: edit.start + edit.ref.length - 1 };
}

/** Distance between two positions, around the origin on a circular contig. */
function distance(a: number, b: number, contig: Contig): number {
  const length = contig.sequence.length;
  const direct = Math.abs(a - b);
  if (!contig.circular) return direct;
  const wrapped = direct % length;
  return Math.min(wrapped, length - wrapped);
}

/**
 * Deletion calls long enough to be a large deletion, with those that meet at the origin of a
 * circular contig (one ending at its last base, the next starting at its first) joined into one.
 */
function deletionIntervals(calls: readonly Call[], contig: Contig): { span: Span; calls: Call[] }[] {
  const length = contig.sequence.length;
  const intervals = calls
    .filter((call) => call.contig === contig.name && call.alt === '')
    .map((call) => ({ span: spanOf(call), calls: [call] }))
    .sort((a, b) => a.span.from - b.span.from);
  const first = intervals[0];
  const last = intervals.at(-1);
  if (contig.circular && first && last && first !== last) {
    if (length - last.span.to <= LARGE_DELETION_TOLERANCE && first.span.from - 1 <= LARGE_DELETION_TOLERANCE) {
      intervals.pop();
      intervals[0] = {
        span: { from: last.span.from, to: length + first.span.to },
        calls: [...last.calls, ...first.calls],
      };
    }
  }
  const shortest = LARGE_DELETION_MIN - 2 * LARGE_DELETION_TOLERANCE;
  return intervals.filter(({ span }) => span.to - span.from + 1 >= shortest);
}

/**
 * Compares calls with expected events. The rule:
 * - a large deletion (≥ 50 bp) is found when a deletion call (or two meeting at the origin of a
 *   circular contig) starts and ends within ±5 bp of it;
 * - every other event is found when one call is the same edit (indels left-normalised on both
 *   sides, so an indel in a repeat may be written at any equivalent position), or else when
 *   applying the calls near it (within {@link MATCH_PADDING} bp) to the reference gives the same
 *   sequence as applying the event: a substitution may be one call or a run of SNV/indel calls.
 *   Events close together are compared as one haplotype, and one by one when that fails.
 * Calls that describe no event, published or evidence-only, are false.
 */
export function compare(
  events: readonly ExpectedEvent[],
  calls: readonly Call[],
  contigs: readonly Contig[],
): Comparison {
  const byName = new Map(contigs.map((contig) => [contig.name, contig]));
  const state: MatchState = {
    contigOf(name) {
      const contig = byName.get(name);
      if (!contig) throw new Error(`no reference contig ${name}`);
      return contig;
    },
    outcomes: new Map(events.map((event) => [event, { event, found: false, calls: [] }])),
    used: new Set(),
    found(members, matched) {
      for (const event of members) this.outcomes.set(event, { event, found: true, calls: matched });
      for (const call of matched) this.used.add(call);
    },
  };
  matchLargeDeletions(state, events, calls);
  const small = events
    .filter((event) => event.class !== 'LARGE_DEL')
    .map((event) => ({ event, edit: leftNormalise(event, state.contigOf(event.contig)) }));
  const normalised = calls.map((call) => ({ call, edit: leftNormalise(call, state.contigOf(call.contig)) }));
  matchIdentical(state, small, normalised);
  matchHaplotypes(state, small, normalised);

  const outcomes = [...state.outcomes.values()];
  const trueCalls = outcomes.flatMap((outcome) => outcome.calls.map((call) => ({ call, class: outcome.event.class })));
  return { events: outcomes, falseCalls: calls.filter((call) => !state.used.has(call)), trueCalls };
}

/** What the matching steps share: the outcomes so far and the calls already spent. */
interface MatchState {
  contigOf(name: string): Contig;
  outcomes: Map<ExpectedEvent, EventOutcome>;
  used: Set<Call>;
  found(events: readonly ExpectedEvent[], calls: Call[]): void;
}

type NormalisedEvent = { event: ExpectedEvent; edit: ExpectedEvent };
type NormalisedCall = { call: Call; edit: Call };

function matchLargeDeletions(state: MatchState, events: readonly ExpectedEvent[], calls: readonly Call[]): void {
  for (const event of events.filter((candidate) => candidate.class === 'LARGE_DEL')) {
    const contig = state.contigOf(event.contig);
    const wanted = spanOf(event);
    const free = calls.filter((call) => !state.used.has(call));
    const match = deletionIntervals(free, contig).find(
      ({ span }) =>
        distance(span.from, wanted.from, contig) <= LARGE_DELETION_TOLERANCE &&
        distance(span.to, wanted.to, contig) <= LARGE_DELETION_TOLERANCE,
    );
    if (match) state.found([event], match.calls);
  }
}

function matchIdentical(state: MatchState, events: readonly NormalisedEvent[], calls: readonly NormalisedCall[]): void {
  const identity = (edit: Edit) => `${edit.contig}:${edit.start}:${edit.ref}:${edit.alt}`;
  const byIdentity = new Map(
    calls.filter(({ call }) => !state.used.has(call)).map((entry) => [identity(entry.edit), entry.call]),
  );
  for (const { event, edit } of events) {
    const call = byIdentity.get(identity(edit));
    if (call && !state.used.has(call)) state.found([event], [call]);
  }
}

function matchHaplotypes(
  state: MatchState,
  events: readonly NormalisedEvent[],
  calls: readonly NormalisedCall[],
): void {
  const unmatched = events.filter(({ event }) => !state.outcomes.get(event)?.found);
  const free = calls.filter(({ call }) => !state.used.has(call));
  for (const cluster of clusters(unmatched, free)) {
    const contig = state.contigOf(cluster.contig);
    const tryMatch = (members: readonly NormalisedEvent[], span: Span) => {
      const near = cluster.calls.filter(({ call, edit }) => !state.used.has(call) && overlaps(spanOf(edit), span));
      if (near.length === 0) return;
      const from = Math.max(1, Math.min(span.from, ...near.map(({ edit }) => spanOf(edit).from)));
      const to = Math.min(contig.sequence.length, Math.max(span.to, ...near.map(({ edit }) => spanOf(edit).to)));
      const expected = applyEdits(
        contig,
        from,
        to,
        members.map(({ edit }) => edit),
      );
      const called = applyEdits(
        contig,
        from,
        to,
        near.map(({ edit }) => edit),
      );
      if (expected !== undefined && expected === called) {
        state.found(
          members.map(({ event }) => event),
          near.map(({ call }) => call),
        );
      }
    };
    tryMatch(cluster.events, cluster.span);
    for (const member of cluster.events) {
      if (!state.outcomes.get(member.event)?.found) tryMatch([member], padded(spanOf(member.edit)));
    }
  }
}

function padded(span: Span): Span {
  return { from: span.from - MATCH_PADDING, to: span.to + MATCH_PADDING };
}

function overlaps(a: Span, b: Span): boolean {
  return a.from <= b.to && b.from <= a.to;
}

interface Cluster<E, C> {
  contig: string;
  span: Span;
  events: E[];
  calls: C[];
}

/** Groups events (their spans padded) and calls whose spans overlap, per contig. */
function clusters<E extends { edit: ExpectedEvent }, C extends { edit: Call }>(
  events: E[],
  calls: C[],
): Cluster<E, C>[] {
  type Item = { contig: string; span: Span; event?: E; call?: C };
  const items: Item[] = [
    ...events.map((event) => ({ contig: event.edit.contig, span: padded(spanOf(event.edit)), event })),
    ...calls.map((call) => ({ contig: call.edit.contig, span: spanOf(call.edit), call })),
  ].sort((a, b) => a.contig.localeCompare(b.contig) || a.span.from - b.span.from);
  const result: Cluster<E, C>[] = [];
  let current: Cluster<E, C> | undefined;
  for (const item of items) {
    if (!current || current.contig !== item.contig || item.span.from > current.span.to) {
      current = { contig: item.contig, span: { ...item.span }, events: [], calls: [] };
      result.push(current);
    }
    current.span.to = Math.max(current.span.to, item.span.to);
    if (item.event) current.events.push(item.event);
    if (item.call) current.calls.push(item.call);
  }
  return result.filter((cluster) => cluster.events.length > 0);
}
