/** Water marks of the bounded queue: throttle above `highWater`, resume below `lowWater`. */
export interface WaterMarks {
  highWater: number;
  lowWater: number;
}

/** Raised for water marks that cannot work (low must be below high, both positive). */
export class InvalidWaterMarksError extends Error {
  override name = 'InvalidWaterMarksError';
  constructor(
    message: string,
    /** The field at fault: `highWater` or `lowWater`. */
    readonly field: 'highWater' | 'lowWater',
  ) {
    super(message);
  }
}

/** Checks water marks, naming the field at fault. */
export function validateWaterMarks({ highWater, lowWater }: WaterMarks): void {
  if (!Number.isInteger(highWater) || highWater < 1) {
    throw new InvalidWaterMarksError('highWater must be a whole number of batches, at least 1', 'highWater');
  }
  if (!Number.isInteger(lowWater) || lowWater < 0) {
    throw new InvalidWaterMarksError('lowWater must be a whole number of batches, at least 0', 'lowWater');
  }
  if (lowWater >= highWater) throw new InvalidWaterMarksError('lowWater must be below highWater', 'lowWater');
}

/** Receives the throttle decisions of a {@link BoundedQueue}. */
export interface ThrottleListener {
  throttle(): void;
  resume(): void;
}

/**
 * A FIFO of batches with backpressure by hysteresis. Pressure is the number of queued batches
 * plus external lag (batches' worth of rows the sink has not written yet); above high-water the
 * listener is told to throttle, and only below low-water to resume, so the producer does not
 * flap around one threshold.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  #head = 0;
  #marks: WaterMarks;
  #externalLag = 0;
  #throttled = false;
  #throttleEvents = 0;

  constructor(
    marks: WaterMarks,
    private readonly listener: ThrottleListener,
  ) {
    validateWaterMarks(marks);
    this.#marks = { ...marks };
  }

  /** Queued batches. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Queued batches plus external lag: what the water marks are compared against. */
  get pressure(): number {
    return this.length + this.#externalLag;
  }

  get throttled(): boolean {
    return this.#throttled;
  }

  /** How many times the queue has throttled the producer. */
  get throttleEvents(): number {
    return this.#throttleEvents;
  }

  get marks(): WaterMarks {
    return { ...this.#marks };
  }

  push(item: T): void {
    this.#items.push(item);
    this.#evaluate();
  }

  /** The oldest batch, or undefined when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined as T;
    this.#head += 1;
    // Compact now and then instead of Array.shift(), which is O(n) per call.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    this.#evaluate();
    return item;
  }

  /** Removes and returns every queued batch (for a stop without drain). */
  clear(): T[] {
    const rest = this.#items.slice(this.#head);
    this.#items.length = 0;
    this.#head = 0;
    this.#evaluate();
    return rest;
  }

  /** Sets the lag counted on top of queued batches (e.g. the sink's unwritten rows, in batches). */
  setExternalLag(batches: number): void {
    this.#externalLag = Math.max(0, batches);
    this.#evaluate();
  }

  /** Changes the water marks; takes effect at once. */
  setMarks(marks: WaterMarks): void {
    validateWaterMarks(marks);
    this.#marks = { ...marks };
    this.#evaluate();
  }

  #evaluate(): void {
    const pressure = this.pressure;
    if (!this.#throttled && pressure > this.#marks.highWater) {
      this.#throttled = true;
      this.#throttleEvents += 1;
      this.listener.throttle();
    } else if (this.#throttled && pressure < this.#marks.lowWater) {
      this.#throttled = false;
      this.listener.resume();
    }
  }
}
