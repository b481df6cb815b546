import { concernKeys, concernKeyText, type KeyedCall } from './keys.js';
import type { MutationOfConcern } from './store.js';

/** One reading of the list, indexed by the keys calls answer to. */
export class ConcernIndex {
  readonly #byKey: ReadonlyMap<string, MutationOfConcern>;

  constructor(readonly entries: readonly MutationOfConcern[]) {
    this.#byKey = new Map(entries.map((entry) => [concernKeyText(entry), entry]));
  }

  /**
   * The entry `call` answers to, or undefined. A call that answers to several (an amino-acid and
   * a nucleotide entry) gets the first of its keys: its effects' protein changes, in effect order,
   * then its own nucleotide change.
   */
  match(call: KeyedCall): MutationOfConcern | undefined {
    if (this.#byKey.size === 0) return undefined;
    for (const key of concernKeys(call)) {
      const entry = this.#byKey.get(key);
      if (entry) return entry;
    }
    return undefined;
  }
}
