import type { VariantCall } from '@helix/native';
import type { SiteAnnotator } from '../annotate/site-annotator.js';
import type { AlarmTiming, MutationDetected } from './events.js';
import { FrequencyHistory } from './frequency-history.js';
import { type ResultStore, type VariantRecord, variantCallKey, variantSiteKey } from './records.js';
import type { SampleCallSet } from './run-services.js';
import type { SampleProgress } from './sample-calls.js';

/** Where a {@link VariantPublisher} sends what it publishes. */
export interface VariantPublisherTargets {
  /** Takes every call as a record to store (the sink). */
  addVariants(records: VariantRecord[]): void;
  /** Told once per site when it becomes confirmed (again, after it fell back to candidate). */
  confirmed(alarm: MutationDetected): void;
}

/**
 * Publishes a run's variant calls: each becomes a record for the store, and a site newly
 * confirmed is announced once. A site whose call falls back to candidate is forgotten, so
 * confirming it again announces it again. With an annotator, a site is annotated when first
 * confirmed, and every record of it from then on carries those effects. An announcement carries
 * the sample's progress at that moment: the latest file arrival and the reads analysed; the
 * stored call keeps its first confirmation's. Every record carries the call's allele frequency
 * history so far ({@link FrequencyHistory}).
 */
export class VariantPublisher {
  readonly #runId: string;
  readonly #targets: VariantPublisherTargets;
  readonly #annotator: SiteAnnotator | undefined;
  /** Confirmed calls, by {@link variantCallKey}. */
  readonly #confirmedSites = new Set<string>();
  readonly #confirmedBySample = new Map<string, number>();
  /** Calls announced before a restart, not yet confirmed again since. */
  readonly #announcedBefore: Set<string>;
  /** The file arrival at each call's first confirmation, which its stored row keeps. */
  readonly #firstArrivals = new Map<string, Date>();
  /** The reads analysed at each call's first confirmation, which its stored row keeps. */
  readonly #firstDetections = new Map<string, number>();
  /** Each call's allele frequency over the run, by {@link variantCallKey}. */
  readonly #histories = new Map<string, FrequencyHistory>();

  /**
   * `announced` holds the {@link variantCallKey}s a resumed run announced before its restart: when
   * the replay confirms them again they are counted and stored but raise no second alarm.
   */
  constructor(
    runId: string,
    targets: VariantPublisherTargets,
    annotator?: SiteAnnotator,
    announced: Iterable<string> = [],
  ) {
    this.#runId = runId;
    this.#targets = targets;
    this.#annotator = annotator;
    this.#announcedBefore = new Set(announced);
  }

  /** Calls confirmed now, over every sample (a site confirmed in two samples counts twice). */
  get confirmed(): number {
    return this.#confirmedSites.size;
  }

  /** Sites of `sample` confirmed now. */
  confirmedOf(sample: string): number {
    return this.#confirmedBySample.get(sample) ?? 0;
  }

  /**
   * Publishes `calls` of `sample`, all seen now; `progress` is where the sample stood when they were
   * made (without it, alarms carry no file arrival and no read count).
   */
  publish(calls: VariantCall[], sample: string, progress?: SampleProgress): void {
    if (calls.length === 0) return;
    const seenAt = new Date();
    const records = calls.map((call) => variantRecord(this.#runId, sample, call, seenAt));
    const sites = records.map(variantSiteKey);
    this.#annotator?.annotateAll(
      records.flatMap((record, index) =>
        record.status === 'CONFIRMED' ? [{ site: sites[index] as string, call: record }] : [],
      ),
    );
    const newlyConfirmed: VariantRecord[] = [];
    records.forEach((record, index) => {
      const site = sites[index] as string;
      const call = variantCallKey(record);
      if (record.status !== 'CONFIRMED') {
        if (this.#confirmedSites.delete(call)) this.#count(sample, -1);
      } else if (!this.#confirmedSites.has(call)) {
        this.#confirmedSites.add(call);
        this.#count(sample, 1);
        if (!this.#announcedBefore.delete(call)) newlyConfirmed.push(record);
      }
      if (this.#annotator) record.effects = this.#annotator.known(site) ?? [];
      record.alleleFrequencyHistory = this.#history(call).record({
        // Published without progress (a caller that tracks no reads), a point counts none.
        readsAnalysed: progress?.readsAnalysed ?? 0,
        alleleFrequency: record.alleleFrequency,
        depth: record.depth,
        at: seenAt,
      });
      if (record.status === 'CONFIRMED' && progress) {
        const first = this.#firstDetections.get(call) ?? progress.readsAnalysed;
        this.#firstDetections.set(call, first);
        record.readsUntilDetection = first;
      }
      if (progress?.fileArrivedAt) record.fileArrivedAt = progress.fileArrivedAt;
      // Confirmed again after falling back to candidate, a call carries its first confirmation's
      // arrival still: the candidate row between may have replaced the first one unwritten.
      if (record.status === 'CONFIRMED' && record.fileArrivedAt) {
        const first = this.#firstArrivals.get(call) ?? record.fileArrivedAt;
        this.#firstArrivals.set(call, first);
        record.fileArrivedAt = first;
      }
    });
    this.#targets.addVariants(records);
    if (newlyConfirmed.length === 0) return;
    const timing: AlarmTiming = {
      detectedAt: new Date(),
      ...(progress?.fileArrivedAt && { fileArrivedAt: progress.fileArrivedAt }),
      ...(progress && { readsUntilDetection: progress.readsAnalysed }),
    };
    for (const record of newlyConfirmed) this.#targets.confirmed({ ...record, ...timing });
  }

  #history(call: string): FrequencyHistory {
    let history = this.#histories.get(call);
    if (!history) {
      history = new FrequencyHistory();
      this.#histories.set(call, history);
    }
    return history;
  }

  #count(sample: string, change: 1 | -1): void {
    this.#confirmedBySample.set(sample, this.confirmedOf(sample) + change);
  }
}

/**
 * Removes from `store` each sample's candidates that its final calls no longer hold (a site seen
 * early, then diluted below the thresholds), so what a run stores depends on its reads, not on when
 * its calls were made. Call it once the final calls are stored.
 */
export async function removeStaleCandidates(
  store: Pick<ResultStore, 'removeCandidatesBesides'>,
  runId: string,
  sampleCalls: readonly SampleCallSet[],
): Promise<void> {
  for (const { sample, calls } of sampleCalls) {
    // The site's fields alone: a copy of each whole call cost ~140 MiB at a 100 Mbp genome's end.
    const finalCalls = new Set(
      calls.map(({ contig, position, ref, alt }) => variantCallKey({ runId, sample, contig, position, ref, alt })),
    );
    await store.removeCandidatesBesides(runId, sample, finalCalls);
  }
}

function variantRecord(runId: string, sample: string, call: VariantCall, seenAt: Date): VariantRecord {
  return {
    runId,
    sample,
    contig: call.contig,
    position: call.position,
    ref: call.ref,
    alt: call.alt,
    type: call.type,
    genotype: call.genotype,
    depth: call.depth,
    altCount: call.altCount,
    alleleFrequency: call.alleleFrequency,
    quality: call.quality,
    forwardAltCount: call.forwardAltCount,
    reverseAltCount: call.reverseAltCount,
    forwardRefCount: call.forwardRefCount,
    reverseRefCount: call.reverseRefCount,
    strandBias: call.strandBias,
    filters: [...call.filters],
    status: call.status,
    seenAt,
    alleleFrequencyHistory: [],
    effects: [],
  };
}
