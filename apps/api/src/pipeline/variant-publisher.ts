import type { VariantCall } from '@helix/native';
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
 * confirming it again announces it again.
 */
export class VariantPublisher {
  readonly #runId: string;
  readonly #targets: VariantPublisherTargets;
  readonly #confirmedSites = new Set<string>();

  constructor(runId: string, targets: VariantPublisherTargets) {
    this.#runId = runId;
    this.#targets = targets;
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
    this.#targets.addVariants(records);
    for (const record of records) {
      const site = variantSiteKey(record);
      if (record.status !== 'CONFIRMED') {
        this.#confirmedSites.delete(site);
      } else if (!this.#confirmedSites.has(site)) {
        this.#confirmedSites.add(site);
        this.#targets.confirmed(record);
      }
    }
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
