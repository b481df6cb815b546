import type { MutationDetected } from '../../src/pipeline/events.js';
import type { MetricsEvent } from '../../src/pubsub/events.js';
import { evenStrands } from './strands.js';

/** The run the events of {@link mutationDetectedEvent} belong to unless told otherwise. */
export const EVENT_RUN_ID = '11111111-2222-4333-8444-555555555555';

/** A metrics snapshot of an idle pipeline (marks 500/100, nothing counted), with `overrides` applied. */
export function metricsEvent(overrides: Partial<MetricsEvent> = {}): MetricsEvent {
  return {
    at: new Date(),
    ingestionRate: 0,
    processingRate: 0,
    queueDepth: 0,
    inFlight: 0,
    throttled: false,
    throttleEvents: 0,
    highWater: 500,
    lowWater: 100,
    readsProduced: 0,
    readsAnalysed: 0,
    readsQueued: 0,
    readsInFlight: 0,
    readsDiscarded: 0,
    batchesProduced: 0,
    batchesAnalysed: 0,
    sinkLag: 0,
    latencyP50Ms: undefined,
    latencyP99Ms: undefined,
    variantsConfirmed: 0,
    mappedReads: 0,
    properlyPairedReads: 0,
    meanDepth: 0,
    breadth1x: 0,
    breadth10x: 0,
    filesWaiting: 0,
    bytesWaiting: 0,
    state: 'IDLE',
    runId: undefined,
    ...overrides,
  };
}

/** A confirmed heterozygous SNV `A>G` on `chr1` at `position` (15 of 30 reads), as its alarm says, with `overrides` applied. */
export function mutationDetectedEvent(position: number, overrides: Partial<MutationDetected> = {}): MutationDetected {
  return {
    runId: EVENT_RUN_ID,
    sample: 'sample',
    contig: 'chr1',
    position,
    ref: 'A',
    alt: 'G',
    type: 'SNV',
    genotype: '0/1',
    depth: 30,
    altCount: 15,
    alleleFrequency: 0.5,
    ...evenStrands(30, 15),
    quality: 50,
    status: 'CONFIRMED',
    seenAt: new Date(),
    effects: [],
    ...overrides,
  };
}
