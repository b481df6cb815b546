import type { Reference } from '@helix/native';
import type pg from 'pg';
import { RunReferenceContext } from '../interpret/reference-context.js';
import type { Logger } from '../logger.js';
import { RunGenes } from './run-genes.js';

/** Reference bases the genome views keep in memory over stored runs (rebuilt references and copied contigs). */
const CACHED_BASES = 64 * 1024 * 1024;

/** What views of runs' genomes share in a process: the database and the caches of references and genes. */
export class GenomeStores {
  readonly references: RunReferenceContext;
  readonly genes: RunGenes;
  #attached: Reference | undefined;

  constructor(
    readonly pool: pg.Pool,
    logger?: Logger,
  ) {
    this.references = new RunReferenceContext({ pool, maxCachedBases: CACHED_BASES, ...(logger && { logger }) });
    this.genes = new RunGenes(logger);
  }

  /** Serves run `runId` from its live reference (no copy rebuilt from its stored configuration). */
  attachLive(runId: string, reference: Reference): void {
    if (this.#attached === reference) return;
    this.references.attach(runId, reference);
    this.#attached = reference;
  }
}
