import type { VariantEffect } from '@helix/native';

/**
 * The JSON texts the native annotator wrote effects as, by the effects array read from each: a
 * store writes that text as it is (its keys already in `jsonb`'s order) rather than writing the
 * effects out again.
 */
const writtenJson = new WeakMap<readonly VariantEffect[], string>();

/** Keeps `json`, the text `effects` were read from, for {@link effectsJsonOf}. */
export function rememberEffectsJson(effects: readonly VariantEffect[], json: string): void {
  writtenJson.set(effects, json);
}

/** `effects` as JSON: the annotator's own text when these very effects were read from one. */
export function effectsJsonOf(effects: readonly VariantEffect[]): string {
  return writtenJson.get(effects) ?? JSON.stringify(effects);
}
