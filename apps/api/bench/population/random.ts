/** A seeded generator of uniform numbers in [0, 1) (mulberry32), so a truth set is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A whole number in [0, bound) drawn from `random`. */
export function randomIndex(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}
