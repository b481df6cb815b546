import type { VariantCall } from '@helix/native';
import type { SiteAnnotator } from '../annotate/site-annotator.js';
import { type VariantRecord, variantSiteKey } from './records.js';

/** Where a {@link VariantPublisher} sends what it publishes. */
export interface VariantPublisherTargets {
  /** Takes every call as a record to store (the sink). */
  addVariants(records: VariantRecord[]): void;
  /** Told once per site when it becomes confirmed (again, after it fell back to candidate). */
  confirmed(record: VariantRecord): void;
}

/**
 * Publishes a run's variant calls: each becomes a record for the store, and a site newly
 * confirmed is announced once. A site whose call falls back to candidate is forgotten, so
 * confirming it again announces it again. With an annotator, a site is annotated when first
 * confirmed, and every record of it from then on carries those effects.
 */
export class VariantPublisher {
  readonly #runId: string;
  readonly #targets: VariantPublisherTargets;
  readonly #annotator: SiteAnnotator | undefined;
  readonly #confirmedSites = new Set<string>();

  constructor(runId: string, targets: VariantPublisherTargets, annotator?: SiteAnnotator) {
    this.#runId = runId;
    this.#targets = targets;
    this.#annotator = annotator;
  }

  /** Sites confirmed now. */
  get confirmed(): number {
    return this.#confirmedSites.size;
  }

  /** Publishes `calls`, all seen now. */
  publish(calls: VariantCall[]): void {
    if (calls.length === 0) return;
    const seenAt = new Date();
    const records = calls.map((call) => variantRecord(this.#runId, call, seenAt));
    const sites = records.map(variantSiteKey);
    this.#annotator?.annotateAll(
      records.flatMap((record, index) =>
        record.status === 'CONFIRMED' ? [{ site: sites[index] as string, call: record }] : [],
      ),
    );
    const newlyConfirmed: VariantRecord[] = [];
    records.forEach((record, index) => {
      const site = sites[index] as string;
      if (record.status !== 'CONFIRMED') {
        this.#confirmedSites.delete(site);
      } else if (!this.#confirmedSites.has(site)) {
        this.#confirmedSites.add(site);
        newlyConfirmed.push(record);
      }
      if (this.#annotator) record.effects = this.#annotator.known(site) ?? [];
    });
    this.#targets.addVariants(records);
    for (const record of newlyConfirmed) this.#targets.confirmed(record);
  }
}

function variantRecord(runId: string, call: VariantCall, seenAt: Date): VariantRecord {
  return {
    runId,
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
    status: call.status,
    seenAt,
    effects: [],
  };
}
