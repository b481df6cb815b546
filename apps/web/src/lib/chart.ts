/** One point of a series: time (epoch ms) and value. */
export interface Point {
  t: number;
  v: number;
}

/** The smallest "nice" number (1, 2, 2.5, 5 × 10^n) at or above `value`. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const exponent = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * exponent >= value - 1e-9 * exponent) return step * exponent;
  }
  return 10 * exponent;
}

/** Evenly spaced tick values from 0 to `max` inclusive (`count` intervals). */
export function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, index) => (max * index) / count);
}

/** Ticks for an axis topped by a nice number: 5 intervals for 2.5 or 5 × 10^n, else 4, so every step is round. */
export function axisTicks(max: number): number[] {
  const leading = max / 10 ** Math.floor(Math.log10(max));
  return ticks(max, Math.abs(leading - 2.5) < 1e-9 || Math.abs(leading - 5) < 1e-9 ? 5 : 4);
}

/** The top of a y axis that holds every value, with headroom, rounded to a nice number. */
export function yDomainMax(values: Iterable<number>, floor = 1, headroom = 1.1): number {
  let max = floor;
  for (const value of values) if (Number.isFinite(value) && value > max) max = value;
  return niceCeil(max * headroom);
}

/**
 * An SVG path through the points, x scaled from `t0` at `pxPerMs`, y from `yMax` at the top to 0
 * at `height`. Points outside [tMin, tMax] are skipped except the neighbours that keep the line
 * running to the edges.
 */
export function linePath(
  points: readonly Point[],
  options: { t0: number; pxPerMs: number; yMax: number; height: number; tMin?: number; tMax?: number },
): string {
  const { t0, pxPerMs, yMax, height } = options;
  const tMin = options.tMin ?? Number.NEGATIVE_INFINITY;
  const tMax = options.tMax ?? Number.POSITIVE_INFINITY;
  let path = '';
  for (let index = 0; index < points.length; index++) {
    const point = points[index] as Point;
    const next = points[index + 1];
    const previous = points[index - 1];
    if (point.t < tMin && next !== undefined && next.t < tMin) continue;
    if (point.t > tMax && previous !== undefined && previous.t > tMax) break;
    const x = (point.t - t0) * pxPerMs;
    const clamped = Math.max(0, Math.min(point.v, yMax));
    const y = height - (clamped / yMax) * height;
    path += `${path ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
  }
  return path;
}

/**
 * A fixed-capacity buffer of the most recent samples, oldest first, that drops samples older than
 * `windowMs` behind the newest.
 */
export class SampleWindow<T extends { t: number }> {
  #items: T[] = [];
  constructor(
    readonly windowMs: number,
    readonly capacity = 2_000,
  ) {}

  push(sample: T) {
    const last = this.#items.at(-1);
    if (last && sample.t < last.t) this.#items = this.#items.filter((item) => item.t <= sample.t);
    this.#items.push(sample);
    const oldest = sample.t - this.windowMs;
    let drop = 0;
    while (drop < this.#items.length - 1 && (this.#items[drop] as T).t < oldest) drop++;
    // Keep one point before the window so the line reaches the left edge.
    drop = Math.max(0, drop - 1);
    if (this.#items.length - drop > this.capacity) drop = this.#items.length - this.capacity;
    if (drop > 0) this.#items = this.#items.slice(drop);
  }

  get items(): readonly T[] {
    return this.#items;
  }

  clear() {
    this.#items = [];
  }
}
