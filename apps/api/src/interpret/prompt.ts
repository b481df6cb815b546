/**
 * What Helix asks the model and what it accepts back: the chat messages for a batch of variants
 * and the zod schema of the JSON answer.
 */
import type { VariantEffect } from '@helix/native';
import { z } from 'zod';
import type { PopulationFacts } from './population.js';
import type { InterpretableVariant, RulesInterpretation } from './rules.js';
import type { ReferenceWindow } from './sequence-context.js';

/** Clinical-significance classes the model may give (ACMG tiers, plus a suspected artefact). */
export const SIGNIFICANCE_CLASSES = [
  'benign',
  'likely_benign',
  'uncertain',
  'likely_pathogenic',
  'pathogenic',
  'likely_artifact',
] as const;

/** One of {@link SIGNIFICANCE_CLASSES}. */
export type Significance = (typeof SIGNIFICANCE_CLASSES)[number];

/** A variant as sent to the model, with what the rules found and the reference around it. */
export interface PromptVariant {
  variant: InterpretableVariant;
  rules: RulesInterpretation;
  window: ReferenceWindow | undefined;
}

/** Bases of reference shown either side of the site. */
export const PROMPT_FLANK = 12;

/** Longest summary accepted from the model. */
export const MAX_SUMMARY_LENGTH = 400;

const interpretationEntry = z.object({
  id: z.string(),
  summary: z.string().trim().min(1).max(MAX_SUMMARY_LENGTH),
  significance: z.enum(SIGNIFICANCE_CLASSES),
});

/** One variant's interpretation as the model must give it. */
export type ModelEntry = z.infer<typeof interpretationEntry>;

/** The whole answer: `{ "interpretations": [ { id, summary, significance }, ... ] }`. */
export const modelAnswerSchema = z.object({ interpretations: z.array(z.unknown()) });

const SYSTEM_PROMPT = `You are a genomics assistant annotating variant calls from a sequencing pipeline.
For each variant you get an id, the site, the alleles, the reference around the site with the
changed bases in brackets, and facts computed by rules (substitution class, indel length and frame,
repeat context, zygosity — haploid for a one-copy genome, else from allele frequency — call quality).
A population call comes from a mixed sample called with no genotype: its facts give its share of the
population (minority, majority or fixed) at its allele frequency, the alternate and reference reads
per strand, the strand bias (Phred) and the filters it fails (PASS when none); speak of it as a
minority (subclonal) or majority variant at its frequency, never as homozygous or heterozygous, and
name a failed filter as a reason for doubt.
A variant in or near an annotated gene has one effect line per gene it touches: the consequence
(Sequence Ontology term) and impact, gene, locus tag, product, codon change, HGVS.c and HGVS.p, and
the reference protein around the change with the changed residues in brackets. Then name the gene,
its product and the protein change in the summary. A variant without effect lines has no
annotation: the reference may be synthetic, say nothing about genes you cannot see.
Answer with one JSON object and nothing else:
{"interpretations":[{"id":"<id>","summary":"<one sentence, at most 300 characters>","significance":"<class>"}]}
with exactly one entry per variant id, and significance one of: ${SIGNIFICANCE_CLASSES.join(', ')}.
Use likely_artifact for calls that look like sequencing or alignment errors (low quality,
low allele frequency, indels in homopolymers).`;

/** What the user message says first when its calls are a population's. */
export const POPULATION_SAMPLE =
  'The sample is a mixed population (a culture, a virus within its host, a wastewater sample), called with no genotypes: allele frequencies are shares of the population.';

/** Short id of the `index`-th variant of a batch (few tokens, unambiguous). */
export function promptId(index: number): string {
  return `v${index + 1}`;
}

function contextLine(item: PromptVariant): string {
  const { variant, window } = item;
  if (!window) return 'reference: unavailable';
  const index = variant.position - window.start;
  const before = window.sequence.slice(Math.max(0, index - PROMPT_FLANK), index);
  const after = window.sequence.slice(index + variant.ref.length, index + variant.ref.length + PROMPT_FLANK);
  return `reference: ${before}[${variant.ref}>${variant.alt}]${after}`;
}

function factsLine(rules: RulesInterpretation): string {
  const facts: string[] = [rules.type.toLowerCase()];
  if (rules.substitution) facts.push(rules.substitution.class, ...(rules.substitution.cpg ? ['CpG'] : []));
  if (rules.indel) facts.push(`${rules.indel.length} bp`, rules.indel.frameshift ? 'frameshift' : 'in-frame');
  if (rules.repeat) facts.push(`${rules.repeat.kind} ${rules.repeat.unit}×${rules.repeat.copies}`);
  const population = rules.population;
  if (population) facts.push('population call', `${population.share} variant`);
  else if (rules.zygosity) facts.push(rules.zygosity);
  facts.push(
    `AF ${rules.alleleFrequency.toFixed(2)}`,
    `depth ${rules.depth}`,
    `Q${Math.round(rules.quality)} (${rules.qualityBand})`,
  );
  if (population) facts.push(...populationFactParts(population));
  return facts.join(', ');
}

/** `alt reads 12 forward / 9 reverse`, `ref reads …`, `strand bias SB 3 (Phred)`, `filters PASS`. */
function populationFactParts(population: PopulationFacts): string[] {
  const parts: string[] = [];
  const { alternateStrands: alternate, referenceStrands: reference } = population;
  if (alternate) parts.push(`alt reads ${alternate.forward} forward / ${alternate.reverse} reverse`);
  if (reference) parts.push(`ref reads ${reference.forward} forward / ${reference.reverse} reverse`);
  if (population.strandBias !== null) parts.push(`strand bias SB ${Math.round(population.strandBias)} (Phred)`);
  if (population.filters)
    parts.push(`filters ${population.filters.length === 0 ? 'PASS' : population.filters.join(';')}`);
  return parts;
}

/** One effect as the model reads it: `missense_variant (MODERATE), gene rpoB, …, reference protein VLTSR[S]QLSQF`. */
export function effectLine(effect: VariantEffect): string {
  const parts = [`${effect.soTerm} (${effect.impact})`];
  // Between genes the neighbours are named one by one below, not as one `left-right` gene.
  if (!effect.neighbours) {
    if (effect.gene) parts.push(`gene ${effect.gene}`);
    if (effect.locusTag) parts.push(`locus tag ${effect.locusTag}`);
  }
  if (effect.product) parts.push(`product "${effect.product}"`);
  if (effect.codonChange) parts.push(`codon ${effect.codonChange}`);
  if (effect.hgvsC) parts.push(effect.hgvsC);
  if (effect.hgvsP) parts.push(effect.aminoAcidChange ? `${effect.hgvsP} (${effect.aminoAcidChange})` : effect.hgvsP);
  const context = effect.proteinContext;
  if (context) parts.push(`reference protein ${context.before}[${context.residues}]${context.after}`);
  if (effect.neighbours) {
    for (const neighbour of effect.neighbours) parts.push(`${neighbour.distance} bp from ${neighbour.gene}`);
  } else if (effect.distance !== undefined) {
    parts.push(
      effect.consequence === 'UPSTREAM'
        ? `${effect.distance} bp before the gene`
        : `nearest gene ${effect.distance} bp away`,
    );
  }
  return parts.join(', ');
}

/** The chat messages asking the model to interpret a batch of variants. */
export function buildMessages(batch: PromptVariant[]): { role: 'system' | 'user'; content: string }[] {
  const lines = batch.map((item, index) =>
    [
      `${promptId(index)}: ${item.variant.contig}:${item.variant.position} ${item.variant.ref}>${item.variant.alt}`,
      `  ${contextLine(item)}`,
      `  facts: ${factsLine(item.rules)}`,
      ...item.variant.effects.map((effect) => `  effect: ${effectLine(effect)}`),
    ].join('\n'),
  );
  // The sample's kind comes first, so the model reads every call that follows as what it is.
  const sample = batch.some((item) => item.rules.population) ? `${POPULATION_SAMPLE}\n` : '';
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `${sample}Interpret these ${batch.length} variants as JSON:\n${lines.join('\n')}` },
  ];
}

/** Why an answer was not accepted. */
export class InvalidModelAnswerError extends Error {
  override name = 'InvalidModelAnswerError';
}

/** What was usable in an answer: entries by batch index, and the indexes left without one. */
export interface ParsedAnswer {
  entries: Map<number, ModelEntry>;
  missing: number[];
}

/**
 * Parses and validates the model's answer for a batch of `size` variants. Entries that fail
 * validation or name no variant of the batch are left out (their variants are `missing`); an answer
 * that is not JSON, not the expected object, or holds no usable entry throws
 * {@link InvalidModelAnswerError}.
 */
export function parseAnswer(content: string | null | undefined, size: number): ParsedAnswer {
  if (!content) throw new InvalidModelAnswerError('the answer is empty');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new InvalidModelAnswerError(`the answer is not JSON: ${JSON.stringify(content.slice(0, 80))}`);
  }
  const answer = modelAnswerSchema.safeParse(json);
  if (!answer.success) {
    throw new InvalidModelAnswerError(
      `the answer is not {"interpretations": [...]}: ${answer.error.issues[0]?.message}`,
    );
  }
  const entries = new Map<number, ModelEntry>();
  for (const raw of answer.data.interpretations) {
    const entry = interpretationEntry.safeParse(raw);
    if (!entry.success) continue;
    const index = Number(/^v(\d+)$/.exec(entry.data.id)?.[1]) - 1;
    if (Number.isInteger(index) && index >= 0 && index < size && !entries.has(index)) entries.set(index, entry.data);
  }
  if (entries.size === 0)
    throw new InvalidModelAnswerError('the answer holds no valid interpretation of a variant asked about');
  const missing: number[] = [];
  for (let index = 0; index < size; index += 1) if (!entries.has(index)) missing.push(index);
  return { entries, missing };
}

/** Rough token count of a text (about four characters a token for English and bases). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
