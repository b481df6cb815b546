import { ANN_HEADER } from '../annotate/ann-field.js';
import { compact } from './compact.js';
import { POPULATION_HEADER_LINES, populationColumn, populationFilter, populationInfo } from './population.js';

/** A contig as VCF's header lists it. */
export interface VcfContig {
  name: string;
  length: number;
}

/** One confirmed call as a VCF record needs it. */
export interface VcfVariant {
  contig: string;
  /** 1-based; indels include the anchor base before them. */
  position: number;
  ref: string;
  alt: string;
  type: 'SNV' | 'INSERTION' | 'DELETION';
  depth: number;
  altCount: number;
  alleleFrequency: number;
  quality: number;
  /** `GT`; null for a population call (allele frequencies, no genotype: see `./population.ts`). */
  genotype: string | null;
  /** Forward-strand reads showing the reference (population calls' `ADF`). */
  forwardRefCount?: number;
  /** Reverse-strand reads showing the reference (`ADR`). */
  reverseRefCount?: number;
  /** Forward-strand reads showing the alternate allele (`ADF`). */
  forwardAltCount?: number;
  /** Reverse-strand reads showing the alternate allele (`ADR`). */
  reverseAltCount?: number;
  /** Phred-scaled Fisher strand-bias p-value (`INFO/SB`), null when one strand has no reads. */
  strandBias?: number | null;
  /** FILTER values the call fails (population calls; none: `PASS`). */
  filters?: readonly string[];
  /** Mean MAPQ of the alternate reads (`INFO/MQ`), when the caller measured it. */
  mappingQuality?: number;
  /** Fraction of the alternate reads with MAPQ 0 (`INFO/MQ0F`), with `mappingQuality`. */
  zeroMappingQualityFraction?: number;
  /** Fraction of the alternate reads showing it within 10 bases of their read's end (`INFO/RPE`), when the caller measured it. */
  readEndFraction?: number;
  /** `INFO/ANN` value (see `annField`), when the calls are annotated. */
  annotation?: string;
}

/**
 * Deletions of at least this many bases are written as symbolic `<DEL>` alleles with
 * `SVTYPE`/`SVLEN`/`END`: a 7-kbp REF string helps nobody, and a deletion across the origin of a
 * circular contig (its REF reading on from the contig's start) is refused by `bcftools norm -f`
 * as explicit alleles but accepted as `<DEL>` with END past the contig's length.
 */
export const SYMBOLIC_DELETION_MIN_LENGTH = 1_000;

/** The REF, ALT and extra INFO a call is written with: explicit alleles, or `<DEL>` for a long deletion. */
function alleles(variant: VcfVariant): { ref: string; alt: string; sv: string } {
  const deleted = variant.ref.length - variant.alt.length;
  if (variant.type !== 'DELETION' || variant.alt.length !== 1 || deleted < SYMBOLIC_DELETION_MIN_LENGTH) {
    return { ref: variant.ref, alt: variant.alt, sv: '' };
  }
  return {
    ref: variant.ref.slice(0, 1),
    alt: '<DEL>',
    sv: `;SVTYPE=DEL;SVLEN=-${deleted};END=${variant.position + deleted}`,
  };
}

/** `INFO/ANN` for a record written with `alt`: each entry's Allele names the ALT as written. */
function annInfo(variant: VcfVariant, alt: string): string {
  if (!variant.annotation) return '';
  if (alt === variant.alt) return `;ANN=${variant.annotation}`;
  const entries = variant.annotation
    .split(',')
    .map((entry) => (entry.startsWith(`${variant.alt}|`) ? `${alt}${entry.slice(variant.alt.length)}` : entry));
  return `;ANN=${entries.join(',')}`;
}

/** The `##INFO` line of `INFO/RPE`, the caller's position-in-read check. */
const READ_END_HEADER =
  '##INFO=<ID=RPE,Number=1,Type=Float,Description="Fraction of the alternate reads observed within 10 bases of a read end (position-in-read bias: high values suggest an artefact)">';

/**
 * `;RPE=…` of calls at one site: the share of all their alternate reads near a read end (each
 * call's fraction weighted by its alternate reads), or nothing when a call's source did not keep it.
 */
function readEndInfo(calls: readonly VcfVariant[]): string {
  const measured = calls.flatMap(({ readEndFraction, altCount }) =>
    readEndFraction === undefined ? [] : [{ readEndFraction, altCount }],
  );
  if (measured.length === 0 || measured.length < calls.length) return '';
  const [only] = measured;
  if (only && measured.length === 1) return `;RPE=${compact(only.readEndFraction, 3)}`;
  const altCount = measured.reduce((sum, call) => sum + call.altCount, 0);
  const nearEnd = measured.reduce((sum, call) => sum + call.readEndFraction * call.altCount, 0);
  return `;RPE=${compact(altCount > 0 ? nearEnd / altCount : 0, 3)}`;
}

/** What the header says about where the calls came from. */
export interface VcfHeaderOptions {
  contigs: VcfContig[];
  /** `##reference=` value (a path or a name). */
  reference?: string;
  /** Sample column name (default "sample"). */
  sample?: string;
  /** Several sample columns, in this order (over `sample`). */
  samples?: readonly string[];
  /** Whether records carry `INFO/ANN` (adds its `##INFO` line). */
  annotated?: boolean;
  /** Whether records are population calls (adds the FILTER, `INFO/SB` and per-strand FORMAT lines). */
  population?: boolean;
  /** Extra `##key=value` lines, e.g. the command line. */
  meta?: Record<string, string>;
  date?: Date;
}

/** The VCF 4.3 header: file format, contigs, INFO/FORMAT definitions and the column line. */
export function vcfHeader(options: VcfHeaderOptions): string {
  const date = (options.date ?? new Date()).toISOString().slice(0, 10).replaceAll('-', '');
  const lines = [
    '##fileformat=VCFv4.3',
    `##fileDate=${date}`,
    '##source=helix-throttle',
    ...(options.reference ? [`##reference=${options.reference}`] : []),
    ...Object.entries(options.meta ?? {}).map(([key, value]) => `##${key}=${value.replace(/[\r\n]/g, ' ')}`),
    ...options.contigs.map((contig) => `##contig=<ID=${contig.name},length=${contig.length}>`),
    '##FILTER=<ID=PASS,Description="All filters passed">',
    '##ALT=<ID=DEL,Description="Deletion">',
    '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">',
    '##INFO=<ID=SVLEN,Number=A,Type=Integer,Description="Length of the structural variant (negative for a deletion)">',
    '##INFO=<ID=END,Number=1,Type=Integer,Description="Last deleted base (past the contig length for a deletion across the origin of a circular contig)">',
    '##INFO=<ID=DP,Number=1,Type=Integer,Description="Read depth at the site">',
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Fraction of reads supporting the alternate allele">',
    '##INFO=<ID=TYPE,Number=A,Type=String,Description="Variant type: SNV, INSERTION or DELETION">',
    '##INFO=<ID=MQ,Number=1,Type=Float,Description="Mean mapping quality of the reads supporting the alternate allele">',
    '##INFO=<ID=MQ0F,Number=1,Type=Float,Description="Fraction of the reads supporting the alternate allele with mapping quality 0">',
    READ_END_HEADER,
    ...(options.annotated ? [ANN_HEADER] : []),
    ...(options.population ? POPULATION_HEADER_LINES : []),
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Read depth of the reference and alternate alleles">',
    `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${(options.samples ?? [options.sample ?? 'sample']).join('\t')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** One VCF 4.3 data line (with its newline). */
export function vcfRecord(variant: VcfVariant): string {
  const refCount = Math.max(0, variant.depth - variant.altCount);
  const mq =
    variant.mappingQuality === undefined
      ? ''
      : `;MQ=${compact(variant.mappingQuality, 1)};MQ0F=${compact(variant.zeroMappingQualityFraction ?? 0, 3)}`;
  const { ref, alt, sv } = alleles(variant);
  const ann = annInfo(variant, alt);
  const info = `DP=${variant.depth};AF=${compact(variant.alleleFrequency, 4)};TYPE=${variant.type}${sv}${mq}${readEndInfo([variant])}${ann}`;
  const site = `${variant.contig}\t${variant.position}\t.\t${ref}\t${alt}\t${compact(variant.quality, 2)}`;
  if (variant.genotype === null) {
    const { format, column } = populationColumn(variant);
    return `${site}\t${populationFilter([variant])}\t${info}${populationInfo([variant])}\t${format}\t${column}\n`;
  }
  const sample = `${variant.genotype}:${variant.depth}:${refCount},${variant.altCount}`;
  return `${site}\tPASS\t${info}\tGT:DP:AD\t${sample}\n`;
}

/**
 * What a sample column holds for a sample with no call at a site: a missing genotype of the
 * site's ploidy (`.` beside haploid calls' `1`, `./.` beside diploid ones).
 */
function notCalled(genotype: string): string {
  return `${/[/|]/.test(genotype) ? './.' : '.'}:.:.`;
}

/**
 * One VCF data line for a site called in several samples: `calls` holds each sample's call in
 * column order (undefined where the sample has none). The site's QUAL is the best call's, its
 * INFO/DP and AF those of all calling samples' reads together.
 */
export function vcfSiteRecord(calls: readonly (VcfVariant | undefined)[]): string {
  const called = calls.filter((call): call is VcfVariant => call !== undefined);
  const first = called[0];
  if (!first) throw new RangeError('a VCF site needs at least one call');
  const depth = called.reduce((sum, call) => sum + call.depth, 0);
  const altCount = called.reduce((sum, call) => sum + call.altCount, 0);
  const quality = Math.max(...called.map((call) => call.quality));
  const { ref, alt, sv } = alleles(first);
  const ann = annInfo(first, alt);
  const info = `DP=${depth};AF=${compact(depth > 0 ? altCount / depth : 0, 4)};TYPE=${first.type}${sv}${readEndInfo(called)}${ann}`;
  const site = `${first.contig}\t${first.position}\t.\t${ref}\t${alt}\t${compact(quality, 2)}`;
  const { genotype } = first;
  if (genotype === null) {
    const columns = calls.map((call) => (call ? populationColumn(call) : undefined));
    const format = columns.find((column) => column !== undefined)?.format ?? '';
    const empty = format.replace(/[^:]+/g, '.');
    const samples = columns.map((column) => column?.column ?? empty).join('\t');
    return `${site}\t${populationFilter(called)}\t${info}${populationInfo(called)}\t${format}\t${samples}\n`;
  }
  const columns = calls.map((call) =>
    call
      ? `${call.genotype}:${call.depth}:${Math.max(0, call.depth - call.altCount)},${call.altCount}`
      : notCalled(genotype),
  );
  return `${site}\tPASS\t${info}\tGT:DP:AD\t${columns.join('\t')}\n`;
}

/** Orders records as VCF requires: by contig in header order, then position. */
export function sortForVcf<T extends { contig: string; position: number; alt: string }>(
  variants: T[],
  contigs: VcfContig[],
): T[] {
  const order = new Map(contigs.map((contig, index) => [contig.name, index]));
  return [...variants].sort(
    (a, b) =>
      (order.get(a.contig) ?? 0) - (order.get(b.contig) ?? 0) || a.position - b.position || a.alt.localeCompare(b.alt),
  );
}
