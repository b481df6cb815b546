import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMixture, type Mixture } from '../../bench/population/mixture.js';
import { referenceSlice } from '../../bench/population/reference.js';
import { requireWgsim } from './wgsim.js';

/** The minor haplotypes' shares of {@link buildTestMixture}'s reads: each one's variants have this AF. */
export const TEST_MIXTURE_FRACTIONS = [0.05, 0.2] as const;

/** A built mixture and the temporary folder holding it (the caller removes it). */
export type TestMixture = Mixture & { directory: string };

/**
 * A small mixed population in a new temporary folder, built in seconds: the first 50 kbp of the
 * example E. coli genome, two minor haplotypes at 5 % and 20 % with their own SNVs and short
 * indels (400 bp apart), and 500× of wgsim 150 bp pairs at 0.2 % errors; see `buildMixture`.
 */
export async function buildTestMixture(seed = 14): Promise<TestMixture> {
  requireWgsim();
  const directory = await mkdtemp(join(tmpdir(), 'helix-mixture-'));
  const mixture = await buildMixture({
    reference: await referenceSlice({ start: 0, length: 50_000 }),
    directory,
    depth: 500,
    errorRate: 0.002,
    readLength: 150,
    fractions: TEST_MIXTURE_FRACTIONS,
    spacing: 400,
    indelShare: 0.2,
    maxIndelLength: 6,
    seed,
  });
  return { ...mixture, directory };
}
