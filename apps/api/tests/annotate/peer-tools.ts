/** The Debian tools the annotator is compared against; a test that needs one fails without it. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's snpEff configuration, for its codon tables. */
export const SNPEFF_CONFIG = '/etc/snpeff/snpEff.config';

/** Throws, naming the Debian package, unless `bcftools` runs. */
export function requireBcftools(): void {
  if (spawnSync('bcftools', ['--version']).status !== 0) {
    throw new Error('bcftools is not installed: "apt-get install bcftools" (.ci/run does).');
  }
}

/** Throws, naming the Debian package, unless `snpEff` runs with Debian's configuration. */
export function requireSnpEff(): void {
  if (spawnSync('snpEff', ['-version']).status !== 0 || !existsSync(SNPEFF_CONFIG)) {
    throw new Error(`snpEff (with ${SNPEFF_CONFIG}) is not installed: "apt-get install snpeff" (.ci/run does).`);
  }
}
