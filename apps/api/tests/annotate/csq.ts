/** Runs `bcftools csq` over test variants and tallies its agreement with the annotator. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vcfHeader, vcfRecord } from '../../src/vcf/writer.js';
import { toEnsemblGff3, toFasta } from './genome-files.js';
import type { TestGene } from './retranslate.js';

/** A variant on a gene, VCF style. */
export interface GeneVariant {
  gene: TestGene;
  position: number;
  ref: string;
  alt: string;
}

/** csq's consequence words, as the annotator's `Consequence` values. */
const CSQ_CONSEQUENCE: Record<string, string> = {
  synonymous: 'SYNONYMOUS',
  stop_retained: 'SYNONYMOUS',
  start_retained: 'SYNONYMOUS',
  missense: 'MISSENSE',
  stop_gained: 'STOP_GAINED',
  stop_lost: 'STOP_LOST',
  start_lost: 'START_LOST',
  frameshift: 'FRAMESHIFT',
  inframe_deletion: 'INFRAME_DELETION',
  inframe_insertion: 'INFRAME_INSERTION',
};

/** How csq's answers are looked up: its transcripts are the genes' locus tags with `.1`. */
export const csqKey = (variant: GeneVariant) =>
  `${variant.position} ${variant.ref} ${variant.alt} ${variant.gene.locusTag}.1`;

/** csq's consequence of each variant on its gene (Ensembl-style GFF3 and FASTA written to `directory`). */
export function csqConsequences(
  directory: string,
  contigName: string,
  bases: string,
  genes: readonly TestGene[],
  variants: readonly GeneVariant[],
): Map<string, string> {
  writeFileSync(join(directory, 'csq.fa'), toFasta(contigName, bases));
  writeFileSync(join(directory, 'csq.gff3'), toEnsemblGff3(contigName, genes));
  const sorted = [...variants].sort((a, b) => a.position - b.position);
  const records = sorted.map(({ position, ref, alt }) =>
    vcfRecord({
      contig: contigName,
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
  const input = join(directory, 'csq-in.vcf');
  const output = join(directory, 'csq-out.vcf');
  writeFileSync(input, vcfHeader({ contigs: [{ name: contigName, length: bases.length }] }) + records.join(''));
  const csq = spawnSync(
    'bcftools',
    [
      'csq',
      '--local-csq',
      '--phase',
      'a',
      '-f',
      join(directory, 'csq.fa'),
      '-g',
      join(directory, 'csq.gff3'),
      '-O',
      'v',
      '-o',
      output,
      input,
    ],
    { encoding: 'utf8' },
  );
  if (csq.status !== 0) throw new Error(`bcftools csq failed: ${csq.stderr}`);
  const query = spawnSync('bcftools', ['query', '-f', '%POS %REF %ALT\t%INFO/BCSQ\n', output], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const consequences = new Map<string, string>();
  for (const line of query.stdout.trim().split('\n')) {
    const [site, bcsq] = line.split('\t');
    for (const entry of (bcsq ?? '').split(',')) {
      const [consequence, , transcript] = entry.split('|');
      if (!consequence || !transcript) continue;
      const word = consequence.replace(/^\*/, '').split('&')[0] ?? '';
      consequences.set(`${site} ${transcript}`, CSQ_CONSEQUENCE[word] ?? word);
    }
  }
  return consequences;
}

/** Agreement per consequence class (ours), with each difference spelled out. */
export interface Agreement {
  agree: number;
  total: number;
  perClass: Map<string, { agree: number; total: number }>;
  differences: string[];
}

/** Tallies how often `ours` names the consequence the peer names (looked up by `key`). */
export function tally(
  variants: readonly GeneVariant[],
  ours: (variant: GeneVariant) => { consequence: string; aminoAcidChange?: string | null } | undefined,
  theirs: Map<string, string>,
  key: (variant: GeneVariant) => string = csqKey,
): Agreement {
  const perClass = new Map<string, { agree: number; total: number }>();
  const differences: string[] = [];
  for (const variant of variants) {
    const effect = ours(variant);
    const their = theirs.get(key(variant)) ?? 'none';
    const name = effect?.consequence ?? 'none';
    const counts = perClass.get(name) ?? { agree: 0, total: 0 };
    counts.total++;
    if (name === their) counts.agree++;
    else {
      differences.push(
        `${variant.gene.name} ${variant.position}${variant.ref}>${variant.alt}: ours ${name} ${effect?.aminoAcidChange}, theirs ${their}`,
      );
    }
    perClass.set(name, counts);
  }
  return { agree: variants.length - differences.length, total: variants.length, perClass, differences };
}

/** A few lines for the test log: overall and per class, then the first differences. */
export function report(label: string, agreement: Agreement, peer = 'bcftools csq'): string {
  const percent = (agree: number, total: number) => `${((100 * agree) / total).toFixed(2)} %`;
  return [
    `${label} vs ${peer}: ${agreement.agree}/${agreement.total} (${percent(agreement.agree, agreement.total)})`,
    ...[...agreement.perClass].map(([name, t]) => `  ${name}: ${t.agree}/${t.total} (${percent(t.agree, t.total)})`),
    ...agreement.differences.slice(0, 30),
  ].join('\n');
}
