import { join } from 'node:path';
import { CORES } from '../real/config.js';
import type { Contig } from '../real/fasta.js';
import { quote, timedShell } from '../real/run.js';
import { writeIvarVcf } from './ivar-vcf.js';
import { freebayesRegion, type Region, samtoolsRegion, sideBySide, splitContig } from './regions.js';

/** What a peer calls from: the shared alignment and the reference it was made against. */
export interface PeerInput {
  reference: Contig;
  referencePath: string;
  bamPath: string;
  directory: string;
  /** The lowest allele frequency every caller is asked to report (iVar `-t`, freebayes `-F`). */
  minAlleleFrequency: number;
}

/** A peer pipeline after the shared alignment. */
export interface PopulationPeer {
  name: string;
  /** The settings it is run with at a minimum allele frequency, as a user would type them. */
  settings(minAlleleFrequency: number): string;
  /** True when the caller writes genotypes and an allele counts only where the genotype carries it. */
  genotyped: boolean;
  /** Resolves with the raw VCF and the wall seconds of calling (the alignment is timed apart). */
  call(input: PeerInput): Promise<{ vcfPath: string; seconds: number }>;
}

/** The reference cut into one region per core: each peer runs one process per region, side by side. */
function regionsOf(reference: Contig): Region[] {
  return splitContig(reference.name, reference.sequence.length, CORES);
}

/**
 * Runs `command` once per region side by side, each writing a VCF, and joins them into
 * `<name>.vcf` (same header, regions in order); the wall time covers both.
 */
async function callPerRegion(
  { reference, directory }: PeerInput,
  name: string,
  command: (region: Region, output: string) => string,
): Promise<{ vcfPath: string; seconds: number }> {
  const regions = regionsOf(reference);
  const parts = regions.map((_, index) => join(directory, `${name}-${index}.vcf`));
  const vcfPath = join(directory, `${name}.vcf`);
  const seconds = await timedShell(
    `${sideBySide(regions.map((region, index) => command(region, parts[index] as string)))}\n` +
      `bcftools concat -Ov ${parts.map(quote).join(' ')} 2>/dev/null > ${quote(vcfPath)}`,
  );
  return { vcfPath, seconds };
}

/** iVar's documented pipeline: `samtools mpileup -aa -A -d 0 -B -Q 0 | ivar variants -t AF -m 10`. */
export const ivar: PopulationPeer = {
  name: 'ivar',
  settings: (af) => `samtools mpileup -aa -A -d 0 -B -Q 0 | ivar variants -t ${af} -m 10 (PASS = its Fisher test)`,
  genotyped: false,
  async call({ reference, referencePath, bamPath, directory, minAlleleFrequency }) {
    const regions = regionsOf(reference);
    const prefixes = regions.map((_, index) => join(directory, `ivar-${index}`));
    const ref = quote(referencePath);
    const seconds = await timedShell(
      sideBySide(
        regions.map(
          (region, index) =>
            `samtools mpileup -aa -A -d 0 -B -Q 0 -r ${samtoolsRegion(region)} --reference ${ref} ${quote(bamPath)} 2>/dev/null | ` +
            `ivar variants -p ${quote(prefixes[index] as string)} -t ${minAlleleFrequency} -m 10 -r ${ref} >/dev/null`,
        ),
      ),
    );
    const vcfPath = join(directory, 'ivar.vcf');
    await writeIvarVcf(
      prefixes.map((prefix) => `${prefix}.tsv`),
      reference,
      vcfPath,
    );
    return { vcfPath, seconds };
  },
};

/**
 * freebayes as its README has it for pooled samples of unknown make-up (`--pooled-continuous`,
 * `-F 0.01` there, here the bench's minimum allele frequency; at least two reads for an allele), every record it writes taken as a call: its QUAL
 * still comes from a diploid genotype (0/0 for an allele at 5 %, QUAL 0), so the README's
 * `QUAL > 20` filter for germline calls would drop every minority allele. One process per region,
 * as `freebayes-parallel` does.
 */
export const freebayes: PopulationPeer = {
  name: 'freebayes',
  settings: (af) => `freebayes --pooled-continuous -F ${af} -C 2 --min-alternate-total 2 (no QUAL filter)`,
  genotyped: false,
  call: (input) =>
    callPerRegion(
      input,
      'freebayes',
      (region, output) =>
        `freebayes -f ${quote(input.referencePath)} --pooled-continuous -F ${input.minAlleleFrequency} -C 2 --min-alternate-total 2 ` +
        `-r ${freebayesRegion(region)} ${quote(input.bamPath)} > ${quote(output)}`,
    ),
};

/** `bcftools mpileup -d 100000 -a AD | bcftools call -mv --ploidy 1`: a germline caller, for contrast (no AF floor). */
export const bcftoolsCall: PopulationPeer = {
  name: 'bcftools call',
  settings: () => 'bcftools mpileup -d 100000 -a AD | bcftools call -mv --ploidy 1',
  genotyped: true,
  call: (input) =>
    callPerRegion(
      input,
      'bcftools',
      (region, output) =>
        `bcftools mpileup -d 100000 -a AD -f ${quote(input.referencePath)} -r ${samtoolsRegion(region)} ` +
        `-Ou ${quote(input.bamPath)} 2>/dev/null | bcftools call -mv --ploidy 1 -o ${quote(output)}`,
    ),
};

/** The peers in the order the table lists them. */
export const POPULATION_PEERS: readonly PopulationPeer[] = [ivar, freebayes, bcftoolsCall];
