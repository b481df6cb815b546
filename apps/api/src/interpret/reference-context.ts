/**
 * Reference bases around a variant site, per run: from the live run's reference when the pipeline
 * hands it over, otherwise rebuilt from the run's stored configuration (after a restart), and
 * cached within a memory budget.
 */
import { Reference } from '@helix/native';
import type pg from 'pg';
import { z } from 'zod';
import { loadReference } from '../annotate/genbank-reference.js';
import type { Logger } from '../logger.js';
import type { ReferenceWindow } from './sequence-context.js';

/** Where the interpreters get the reference around a site. */
export interface ReferenceContextSource {
  /**
   * The bases within `flank` of 1-based `position` on `contig` of the run's reference, or undefined
   * when the reference cannot be had (an unknown run or contig, a reference file gone).
   */
  window(runId: string, contig: string, position: number, flank?: number): Promise<ReferenceWindow | undefined>;
}

/** Options of {@link RunReferenceContext}. */
export interface RunReferenceContextOptions {
  /** Reads a run's stored configuration (`runs.config`). */
  pool: pg.Pool;
  logger?: Logger;
  /**
   * Bases kept in memory over all runs (rebuilt references and copied contigs; default 256 Mi).
   * Least recently used runs go first; the run being served always stays, so one run larger than
   * the budget is still served.
   */
  maxCachedBases?: number;
  /** Bases either side of the site when the caller does not say (default 60). */
  flank?: number;
  /** How long a reference that could not be rebuilt is not tried again (default 60 s). */
  failureTtlMs?: number;
}

/** The part of a stored run configuration that says how its reference was made. */
const storedReferenceConfig = z.object({
  referencePath: z.string().min(1).optional(),
  referenceLength: z.number().int().positive().optional(),
  seed: z.number().int().nonnegative().optional(),
});

interface CachedRun {
  /** Resolves to undefined when the reference could not be had. */
  reference: Promise<Reference | undefined>;
  /** The run's own copy of the reference counts against the budget; a live run's does not. */
  ownBases: number;
  contigs: Map<string, Buffer>;
  failedAt: number | undefined;
}

/**
 * {@link ReferenceContextSource} over the runs in the database. Attach a live run's reference with
 * {@link RunReferenceContext.attach} to avoid rebuilding it; otherwise the first site of a run
 * rebuilds its reference from `runs.config` the way the pipeline built it (a simulated run's random
 * reference from `referenceLength` and `seed`, or the FASTA or GenBank file at `referencePath`).
 */
export class RunReferenceContext implements ReferenceContextSource {
  readonly #pool: pg.Pool;
  readonly #logger: Logger | undefined;
  readonly #maxCachedBases: number;
  readonly #flank: number;
  readonly #failureTtlMs: number;
  /** In least-recently-used order (a Map iterates in insertion order; a hit re-inserts). */
  readonly #runs = new Map<string, CachedRun>();

  constructor(options: RunReferenceContextOptions) {
    this.#pool = options.pool;
    this.#logger = options.logger;
    this.#maxCachedBases = options.maxCachedBases ?? 256 * 1024 * 1024;
    this.#flank = options.flank ?? 60;
    this.#failureTtlMs = options.failureTtlMs ?? 60_000;
  }

  /** Serves `runId` from `reference` (the live run's) instead of rebuilding it. */
  attach(runId: string, reference: Reference): void {
    this.#runs.delete(runId);
    this.#runs.set(runId, {
      reference: Promise.resolve(reference),
      ownBases: 0,
      contigs: new Map(),
      failedAt: undefined,
    });
  }

  /** Forgets a run (its reference and copied contigs). */
  detach(runId: string): void {
    this.#runs.delete(runId);
  }

  /** Bases held in memory now. */
  get cachedBases(): number {
    let total = 0;
    for (const run of this.#runs.values()) {
      total += run.ownBases;
      for (const bases of run.contigs.values()) total += bases.length;
    }
    return total;
  }

  async window(
    runId: string,
    contig: string,
    position: number,
    flank = this.#flank,
  ): Promise<ReferenceWindow | undefined> {
    const bases = await this.#contig(runId, contig);
    if (!bases || position < 1 || position > bases.length) return undefined;
    const begin = Math.max(0, position - 1 - flank);
    const end = Math.min(bases.length, position + flank);
    return { contig, start: begin + 1, sequence: bases.toString('latin1', begin, end) };
  }

  async #contig(runId: string, contig: string): Promise<Buffer | undefined> {
    let run = this.#runs.get(runId);
    if (run?.failedAt !== undefined && Date.now() - run.failedAt > this.#failureTtlMs) {
      this.#runs.delete(runId);
      run = undefined;
    }
    if (!run) {
      run = { reference: Promise.resolve(undefined), ownBases: 0, contigs: new Map(), failedAt: undefined };
      const entry = run;
      entry.reference = this.#rebuild(runId).then(
        (reference) => {
          if (!reference) entry.failedAt = Date.now();
          else entry.ownBases = reference.totalLength;
          return reference;
        },
        (error: Error) => {
          entry.failedAt = Date.now();
          this.#logger?.warn(
            { runId, reason: error.message },
            'reference of the run could not be rebuilt; interpreting without repeat context',
          );
          return undefined;
        },
      );
    }
    // Most recently used goes last.
    this.#runs.delete(runId);
    this.#runs.set(runId, run);
    const cached = run.contigs.get(contig);
    if (cached) return cached;
    const reference = await run.reference;
    if (!reference?.contigs.some((info) => info.name === contig)) return undefined;
    const bases = run.contigs.get(contig) ?? reference.sequence(contig);
    run.contigs.set(contig, bases);
    this.#evict(runId);
    return bases;
  }

  async #rebuild(runId: string): Promise<Reference | undefined> {
    const { rows } = await this.#pool.query<{ config: unknown }>('SELECT config FROM runs WHERE id = $1', [runId]);
    const parsed = storedReferenceConfig.safeParse(rows[0]?.config);
    if (!parsed.success) return undefined;
    const { referencePath, referenceLength, seed } = parsed.data;
    if (referencePath) return loadReference(referencePath);
    if (referenceLength === undefined || seed === undefined) return undefined;
    return Reference.random(referenceLength, seed);
  }

  #evict(keep: string): void {
    let total = this.cachedBases;
    for (const [runId, run] of this.#runs) {
      if (total <= this.#maxCachedBases) return;
      if (runId === keep) continue;
      total -= run.ownBases;
      for (const bases of run.contigs.values()) total -= bases.length;
      this.#runs.delete(runId);
    }
  }
}
