import type { AlleleFrequencyPoint } from './records.js';

/** A new point is kept when the allele frequency moved at least this much (absolute) since the last kept one. */
export const HISTORY_FREQUENCY_STEP = 0.05;
/** The most points kept per call; past it, every other kept point is dropped (the first stays). */
export const HISTORY_POINTS = 100;

/**
 * A call's allele frequency over its run, bounded: a point is kept when the frequency moved by
 * {@link HISTORY_FREQUENCY_STEP} or the depth doubled since the last kept point; the call as it
 * stands now always ends the history, kept or not, so its last point is the stored call.
 */
export class FrequencyHistory {
  readonly #kept: AlleleFrequencyPoint[] = [];

  /** Takes the call's state now and returns its history, oldest first (a fresh array). */
  record(point: AlleleFrequencyPoint): AlleleFrequencyPoint[] {
    const last = this.#kept[this.#kept.length - 1];
    if (!last || moved(last, point)) {
      this.#kept.push(point);
      if (this.#kept.length > HISTORY_POINTS) this.#thin();
      return [...this.#kept];
    }
    return [...this.#kept, point];
  }

  /** Halves the kept points: the first, the last and every other one between stay. */
  #thin(): void {
    const thinned = this.#kept.filter((_, index) => index % 2 === 0 || index === this.#kept.length - 1);
    this.#kept.splice(0, this.#kept.length, ...thinned);
  }
}

function moved(last: AlleleFrequencyPoint, now: AlleleFrequencyPoint): boolean {
  return Math.abs(now.alleleFrequency - last.alleleFrequency) >= HISTORY_FREQUENCY_STEP || now.depth >= 2 * last.depth;
}
