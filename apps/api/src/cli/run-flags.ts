import type { Ploidy, RunConfigInput } from '../pipeline/config.js';
import { numberFlag } from './flags.js';
import { UsageError } from './usage-error.js';

/** The `parseArgs` options of the flags `helix analyze` and `helix watch` share. */
export const RUN_FLAG_OPTIONS = {
  reference: { type: 'string' },
  vcf: { type: 'string' },
  'min-depth': { type: 'string' },
  'min-af': { type: 'string' },
  'min-quality': { type: 'string' },
  ploidy: { type: 'string' },
  mode: { type: 'string' },
  threads: { type: 'string' },
  annotation: { type: 'string' },
  'genetic-code': { type: 'string' },
  circular: { type: 'string', multiple: true },
  'index-dir': { type: 'string' },
} as const;

/** The shared flags' values as `parseArgs` gives them. */
export type RunFlagValues = Partial<Record<Exclude<keyof typeof RUN_FLAG_OPTIONS, 'circular'>, string>> & {
  circular?: string[];
};

/** The shared flags' synopsis, its second line indented by `indent`. */
export function runFlagsSynopsis(indent: string): string {
  return (
    '[--annotation genes.gff3|genes.gbk] [--genetic-code N] [--circular NAME[,NAME]]\n' +
    `${indent}[--mode germline|population] [--min-depth 3] [--min-af 0.15] [--min-quality 20] [--ploidy 1|2] [--threads N]\n` +
    `${indent}[--index-dir DIR]`
  );
}

/** What the shared flags mean, for both usage texts. */
export const RUN_FLAGS_HELP = `--annotation (GFF3 or GenBank) adds each call's effect on genes as INFO/ANN; a GenBank
--reference gives sequence and genes at once. --genetic-code overrides the NCBI translation
table (default: the file's /transl_table, else 11 for bacteria and phages, 1 otherwise).
--circular names the reference's circular contigs (a GenBank reference's LOCUS line already says so):
reads align across their origin and a deletion may span it (a <DEL> whose END passes the contig's length).
--ploidy 1 calls haploid genotypes (GT 1), as in bacteria, archaea and phages: an allele in a minority
of the reads is then not confirmed. --ploidy 2 calls diploid ones (0/1, 1/1). Default: 1 for a GenBank
reference of bacteria, archaea or phages, 2 otherwise.
--mode population calls the allele frequencies of a mixed population (a culture, a virus in a host, a
wastewater sample) with no genotype: --min-af then defaults to 0.02, and the VCF carries the filtered
calls too, with FILTER LowQual, LowDepth or StrandBias, INFO/SB and FORMAT AD, ADF, ADR and AF.
--mode germline (the default) calls genotypes.
--index-dir (or HELIX_INDEX_DIR) is where the reference's aligner index is saved and mapped from on later
runs (default: beside the reference as REF.hix, or ~/.cache/helix/indexes when that directory is read-only).`;

/** The shared flags, checked: the run config fields they set, and the genetic code the genes are read with. */
export interface RunFlags {
  config: Pick<
    RunConfigInput,
    'circular' | 'workers' | 'mode' | 'minDepth' | 'minAlleleFrequency' | 'minQuality' | 'ploidy'
  >;
  geneticCode: number | undefined;
}

/** Checks the shared flags; a bad value is a {@link UsageError} naming the flag. */
export function parseRunFlags(values: RunFlagValues): RunFlags {
  const minDepth = numberFlag('min-depth', values['min-depth'], { integer: true, min: 1 });
  const minAlleleFrequency = numberFlag('min-af', values['min-af'], { min: 0, max: 1 });
  const minQuality = numberFlag('min-quality', values['min-quality'], { min: 0 });
  const ploidy = ploidyFlag(values.ploidy);
  const mode = modeFlag(values.mode);
  const workers = numberFlag('threads', values.threads, { integer: true, min: 1, max: 64 });
  const geneticCode = numberFlag('genetic-code', values['genetic-code'], { integer: true, min: 1, max: 33 });
  const circular = (values.circular ?? []).flatMap((names) => names.split(',')).map((name) => name.trim());
  if (circular.includes('')) throw new UsageError('--circular takes contig names, separated by commas');
  return {
    config: {
      ...(circular.length > 0 && { circular }),
      ...(workers !== undefined && { workers }),
      ...(minDepth !== undefined && { minDepth }),
      ...(minAlleleFrequency !== undefined && { minAlleleFrequency }),
      ...(minQuality !== undefined && { minQuality }),
      ...(ploidy !== undefined && { ploidy }),
      ...(mode !== undefined && { mode }),
    },
    geneticCode,
  };
}

/** `--ploidy`: 1 or 2, or a usage error that says so. */
function ploidyFlag(value: string | undefined): Ploidy | undefined {
  if (value === undefined) return undefined;
  const copies = value.trim();
  if (copies === '1' || copies === '2') return Number(copies) as Ploidy;
  throw new UsageError(`--ploidy must be 1 (haploid) or 2 (diploid), got "${value}"`);
}

/** `--mode`: germline or population, or a usage error that says so. */
function modeFlag(value: string | undefined): RunConfigInput['mode'] {
  if (value === undefined) return undefined;
  const mode = value.trim().toLowerCase();
  if (mode === 'germline') return 'GERMLINE';
  if (mode === 'population') return 'POPULATION';
  throw new UsageError(`--mode must be germline or population, got "${value}"`);
}
