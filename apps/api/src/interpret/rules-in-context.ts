/** The rules' interpretation of a variant with the reference around its site, as both writers need it. */
import type { PromptVariant } from './prompt.js';
import type { ReferenceContextSource } from './reference-context.js';
import { type InterpretableVariant, interpretByRules } from './rules.js';

/**
 * Interprets `variant` by the rules with the reference window `source` gives; a window that cannot
 * be read leaves the rules without reference context (they say so in `referenceContext`).
 */
export async function rulesInContext(
  source: ReferenceContextSource,
  variant: InterpretableVariant,
): Promise<PromptVariant> {
  const window = await source.window(variant.runId, variant.contig, variant.position).catch(() => undefined);
  return { variant, rules: interpretByRules(variant, window), window };
}
