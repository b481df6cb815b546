/** Runs Debian's snpEff over test variants on a GenBank genome, for comparison with the annotator. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vcfHeader, vcfRecord } from '../../src/vcf/writer.js';
import type { GeneVariant } from './csq.js';
import { SNPEFF_CONFIG } from './peer-tools.js';

/** snpEff's words, as the annotator's `Consequence` values. */
const SNPEFF_CONSEQUENCE: Record<string, string> = {
  synonymous_variant: 'SYNONYMOUS',
  stop_retained_variant: 'SYNONYMOUS',
  start_retained_variant: 'SYNONYMOUS',
  initiator_codon_variant: 'SYNONYMOUS',
  missense_variant: 'MISSENSE',
  stop_gained: 'STOP_GAINED',
  stop_lost: 'STOP_LOST',
  start_lost: 'START_LOST',
  frameshift_variant: 'FRAMESHIFT',
  inframe_insertion: 'INFRAME_INSERTION',
  conservative_inframe_insertion: 'INFRAME_INSERTION',
  disruptive_inframe_insertion: 'INFRAME_INSERTION',
  inframe_deletion: 'INFRAME_DELETION',
  conservative_inframe_deletion: 'INFRAME_DELETION',
  disruptive_inframe_deletion: 'INFRAME_DELETION',
};

/** What snpEff says of each variant on its gene, keyed `position ref alt locusTag`. */
export interface SnpEffAnswers {
  /** As the annotator's `Consequence` values. */
  consequences: Map<string, string>;
  /** HGVS.p, e.g. `p.Asp614Gly`. */
  proteinChanges: Map<string, string>;
}

/**
 * Runs snpEff with a database built in `directory` out of `genbankPath` (linked, not copied),
 * translated with table 11.
 */
export function snpEff(
  directory: string,
  genbankPath: string,
  contig: { name: string; length: number },
  variants: readonly GeneVariant[],
): SnpEffAnswers {
  const genome = 'helixtest';
  mkdirSync(join(directory, 'data', genome), { recursive: true });
  symlinkSync(genbankPath, join(directory, 'data', genome, 'genes.gbk'));
  const codonTables = readFileSync(SNPEFF_CONFIG, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('codon.'));
  const config = join(directory, 'snpEff.config');
  writeFileSync(
    config,
    [
      ...codonTables,
      `data.dir = ${join(directory, 'data')}/`,
      `${genome}.genome : test genome`,
      `${genome}.${contig.name}.codonTable : Bacterial_and_Plant_Plastid`,
      '',
    ].join('\n'),
  );
  const build = spawnSync(
    'snpEff',
    ['build', '-c', config, '-genbank', '-noLog', '-noCheckCds', '-noCheckProtein', genome],
    {
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`snpEff build failed: ${build.stderr}`);
  const sorted = [...variants].sort((a, b) => a.position - b.position);
  const records = sorted.map(({ position, ref, alt }) =>
    vcfRecord({
      contig: contig.name,
      position,
      ref,
      alt,
      type: ref.length === alt.length ? 'SNV' : ref.length > alt.length ? 'DELETION' : 'INSERTION',
      depth: 30,
      altCount: 30,
      alleleFrequency: 1,
      quality: 60,
      genotype: '1/1',
    }),
  );
  const input = join(directory, 'snpeff-in.vcf');
  writeFileSync(input, vcfHeader({ contigs: [contig] }) + records.join(''));
  const annotate = spawnSync('snpEff', ['ann', '-c', config, '-noStats', '-noLog', '-noLof', genome, input], {
    encoding: 'utf8',
    maxBuffer: 1 << 29,
  });
  if (annotate.status !== 0) throw new Error(`snpEff ann failed: ${annotate.stderr}`);
  const consequences = new Map<string, string>();
  const proteinChanges = new Map<string, string>();
  for (const line of annotate.stdout.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [, position, , ref, alt, , , info] = line.split('\t');
    const ann = /(?:^|;)ANN=([^;]+)/.exec(info ?? '')?.[1] ?? '';
    for (const entry of ann.split(',')) {
      const fields = entry.split('|');
      const [, annotation = '', , , geneId = '', , , , , , hgvsP = ''] = fields;
      // `splice_region_variant&stop_retained_variant`: the coding term is the one compared.
      const words = annotation.split('&');
      const word = words.find((w) => w in SNPEFF_CONSEQUENCE) ?? words[0] ?? '';
      const key = `${position} ${ref} ${alt} ${geneId}`;
      if (consequences.has(key)) continue;
      consequences.set(key, SNPEFF_CONSEQUENCE[word] ?? word);
      proteinChanges.set(key, hgvsP);
    }
  }
  return { consequences, proteinChanges };
}

/** snpEff is looked up by the gene's locus tag (its Gene_ID). */
export const snpEffKey = (variant: GeneVariant) =>
  `${variant.position} ${variant.ref} ${variant.alt} ${variant.gene.locusTag}`;

/** Variants whose HGVS.p differs from snpEff's. */
export function proteinDifferences(
  variants: readonly GeneVariant[],
  ours: (variant: GeneVariant) => { hgvsP?: string | null } | undefined,
  theirs: Map<string, string>,
): string[] {
  return variants
    .map((variant) => ({ variant, mine: ours(variant)?.hgvsP ?? '', their: theirs.get(snpEffKey(variant)) ?? '' }))
    .filter(({ mine, their }) => mine !== their)
    .map(
      ({ variant, mine, their }) =>
        `${variant.gene.name} ${variant.position}${variant.ref}>${variant.alt}: ${mine} vs ${their}`,
    );
}
