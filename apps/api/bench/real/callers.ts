import { join } from 'node:path';
import { CORES, HELIX_BIN } from './config.js';
import { quote, timedShell } from './run.js';

/** What a caller is given: a FASTA reference (indexed by samtools faidx), one or two read files. */
export interface CallerInput {
  referencePath: string;
  /** The reference's circular contigs, which its FASTA cannot say (helix is told; the peers take no such flag). */
  circular: string[];
  reads: string[];
  workDirectory: string;
}

/** A variant caller under comparison: a name, and a run that writes a VCF ready for scoring. */
export interface Caller {
  name: string;
  /** Resolves with the VCF's path and the seconds the calling took (normalisation not counted). */
  run(input: CallerInput): Promise<{ vcfPath: string; seconds: number }>;
}

/** `helix analyze <options>`, the real CLI, with the machine's cores. */
export function helixAnalyze(name: string, options: readonly string[]): Caller {
  return {
    name,
    async run({ referencePath, circular, reads, workDirectory }) {
      const vcfPath = join(workDirectory, 'helix.vcf');
      const seconds = await timedShell(
        [process.execPath, HELIX_BIN, 'analyze', '--reference', referencePath, '--reads', ...reads, ...options]
          .concat(circular.length > 0 ? ['--circular', circular.join(',')] : [])
          .concat(['--vcf', vcfPath, '--threads', String(CORES)])
          .map(quote)
          .join(' '),
      );
      return { vcfPath, seconds };
    },
  };
}

/**
 * `helix analyze` in its germline mode, haploid (`--ploidy 1`) as the peers call every set here:
 * a phage, a plasmid, and wgsim's haploid (`-h`) reads of a bacterial genome. Their references are
 * FASTA files, which do not say what organism they hold.
 */
export const helix: Caller = helixAnalyze('helix', ['--ploidy', '1']);

/**
 * The peers' common tail: sort, pile up and call haploid (`--ploidy 1`: phage, plasmid and a
 * bacterial genome), then split multi-allelic records and left-align (`bcftools norm -m -any`),
 * as helix writes them, before scoring.
 */
async function sortAndCall(name: string, aligner: string, { referencePath, workDirectory }: CallerInput) {
  const raw = join(workDirectory, `${name}.raw.vcf`);
  const vcfPath = join(workDirectory, `${name}.vcf`);
  const ref = quote(referencePath);
  const seconds = await timedShell(
    `${aligner} 2>/dev/null | samtools sort -@${CORES} -l 1 -o - 2>/dev/null | ` +
      `bcftools mpileup -Ou -f ${ref} - 2>/dev/null | bcftools call -mv --ploidy 1 -o ${quote(raw)}`,
  );
  await timedShell(`bcftools norm -m -any -f ${ref} -o ${quote(vcfPath)} ${quote(raw)} 2>/dev/null`);
  return { vcfPath, seconds };
}

/**
 * minimap2 `-ax sr`. For 454 reads too: they are a few hundred bases long with about 1 % errors,
 * mostly homopolymer indels, which the short-read preset aligns well; the long-read presets
 * (map-ont, map-pb) are tuned for 10 % error rates and seed too loosely for such reads.
 */
export const minimap2: Caller = {
  name: 'minimap2 -ax sr',
  run: (input) =>
    sortAndCall(
      'minimap2',
      `minimap2 -t ${CORES} -ax sr ${[input.referencePath, ...input.reads].map(quote).join(' ')}`,
      input,
    ),
};

/** bowtie2 `--very-sensitive` (end to end; `--local` for 454 reads, whose ends are noisy); index build counted. */
export function bowtie2(mode: 'end-to-end' | 'local'): Caller {
  const flags = mode === 'local' ? '--very-sensitive --local' : '--very-sensitive';
  return {
    name: `bowtie2 ${flags}`,
    async run(input) {
      const index = join(input.workDirectory, 'bowtie2-index');
      const reads =
        input.reads.length === 2
          ? `-1 ${quote(input.reads[0] as string)} -2 ${quote(input.reads[1] as string)}`
          : `-U ${input.reads.map(quote).join(',')}`;
      const build = await timedShell(
        `bowtie2-build --threads ${CORES} ${quote(input.referencePath)} ${quote(index)} >/dev/null 2>&1`,
      );
      const called = await sortAndCall('bowtie2', `bowtie2 -p ${CORES} ${flags} -x ${quote(index)} ${reads}`, input);
      return { vcfPath: called.vcfPath, seconds: build + called.seconds };
    },
  };
}
