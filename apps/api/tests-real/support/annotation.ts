import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { realDataDirectory } from '../../bench/real/config.js';

/**
 * The E. coli REL606 fragment (51 CDS on both strands) in the real-data folder, read in place and
 * never copied into the project. Throws when it is missing, like the rest of the real data.
 */
export function rel606GenbankPath(): string {
  const path = resolve(realDataDirectory(), 'annotation/REL606-fragment.gbk');
  if (!existsSync(path)) {
    throw new Error(`GenBank fragment not found at ${path}: the real-data folder lacks annotation/REL606-fragment.gbk`);
  }
  return path;
}
