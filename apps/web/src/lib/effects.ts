import type { Consequence } from '@/lib/graphql/operations';

/** Consequences as the API names them. */
export type ConsequenceName = Consequence;

/** What the dashboard reads of one effect. */
export interface EffectSummary {
  gene?: string | null;
  aminoAcidChange?: string | null;
  consequence: ConsequenceName;
}

const CONSEQUENCE_WORDS: Record<ConsequenceName, string> = {
  SYNONYMOUS: 'synonymous',
  MISSENSE: 'missense',
  STOP_GAINED: 'stop gained',
  STOP_LOST: 'stop lost',
  START_LOST: 'start lost',
  FRAMESHIFT: 'frameshift',
  INFRAME_INSERTION: 'in-frame insertion',
  INFRAME_DELETION: 'in-frame deletion',
  INTERGENIC: 'intergenic',
  UPSTREAM: 'upstream',
  NON_CODING: 'non-coding',
};

/** Consequences that change or end a protein, drawn loudest. */
const SEVERE = new Set<ConsequenceName>(['STOP_GAINED', 'STOP_LOST', 'START_LOST', 'FRAMESHIFT']);

/** A consequence in words: `STOP_GAINED` → "stop gained". */
export function consequenceWords(consequence: ConsequenceName): string {
  return CONSEQUENCE_WORDS[consequence];
}

/** How loud a consequence is drawn: a CSS modifier. */
export function consequenceTone(consequence: ConsequenceName): 'severe' | 'changed' | 'quiet' {
  if (SEVERE.has(consequence)) return 'severe';
  if (consequence === 'MISSENSE' || consequence === 'INFRAME_INSERTION' || consequence === 'INFRAME_DELETION') {
    return 'changed';
  }
  return 'quiet';
}

/** One effect as a biologist writes it: "S:D614G missense", "rpoB frameshift", "yaaA–yaaJ intergenic". */
export function effectLabel(effect: EffectSummary): string {
  const words = consequenceWords(effect.consequence);
  // Between genes the annotator names both neighbours, `left-right`.
  const gene = effect.consequence === 'INTERGENIC' ? effect.gene?.replace('-', '–') : effect.gene;
  if (gene && effect.aminoAcidChange) return `${gene}:${effect.aminoAcidChange} ${words}`;
  if (gene) return `${gene} ${words}`;
  return words;
}

/** Every effect of a call, most severe first, joined: what an alarm's line says. */
export function effectsLabel(effects: readonly EffectSummary[]): string | undefined {
  if (effects.length === 0) return undefined;
  const rank = { severe: 0, changed: 1, quiet: 2 } as const;
  return [...effects]
    .sort((a, b) => rank[consequenceTone(a.consequence)] - rank[consequenceTone(b.consequence)])
    .map(effectLabel)
    .join('; ');
}
