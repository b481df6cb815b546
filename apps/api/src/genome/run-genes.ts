import type { Annotation } from '@helix/native';
import { z } from 'zod';
import { openRunAnnotation } from '../annotate/run-annotation.js';
import type { Logger } from '../logger.js';

/** The part of a stored run configuration that says where its genes came from. */
const storedGenesConfig = z.object({
  referencePath: z.string().min(1).optional(),
  annotationPath: z.string().min(1).optional(),
  geneticCode: z.number().int().positive().optional(),
});

/** How many runs' genes are kept read. */
const RUNS_KEPT = 4;
/** How long genes that could not be read are not tried again. */
const FAILURE_TTL_MS = 60_000;

interface KeptGenes {
  genes: Promise<Annotation | undefined>;
  failedAt: number | undefined;
}

/**
 * The genes of stored runs, read again from their configuration (`annotationPath`, else a GenBank
 * reference's own features) the way the pipeline read them, and kept for the few runs viewed last.
 */
export class RunGenes {
  /** In least-recently-used order. */
  readonly #runs = new Map<string, KeptGenes>();

  constructor(private readonly logger?: Logger) {}

  /** The genes of the run stored with `config`, or undefined when it has none or they cannot be read. */
  of(runId: string, config: Record<string, unknown>): Promise<Annotation | undefined> {
    let kept = this.#runs.get(runId);
    if (kept?.failedAt !== undefined && Date.now() - kept.failedAt > FAILURE_TTL_MS) kept = undefined;
    if (!kept) {
      const entry: KeptGenes = { genes: Promise.resolve(undefined), failedAt: undefined };
      entry.genes = this.#read(config).catch((error: Error) => {
        entry.failedAt = Date.now();
        this.logger?.warn({ runId, reason: error.message }, 'genes of the run could not be read again');
        return undefined;
      });
      kept = entry;
    }
    this.#runs.delete(runId);
    this.#runs.set(runId, kept);
    if (this.#runs.size > RUNS_KEPT) this.#runs.delete(this.#runs.keys().next().value as string);
    return kept.genes;
  }

  async #read(config: Record<string, unknown>): Promise<Annotation | undefined> {
    const parsed = storedGenesConfig.safeParse(config);
    if (!parsed.success || !parsed.data.referencePath) return undefined;
    const { referencePath, annotationPath, geneticCode } = parsed.data;
    return (await openRunAnnotation({ referencePath, annotationPath, geneticCode })).annotation;
  }
}
