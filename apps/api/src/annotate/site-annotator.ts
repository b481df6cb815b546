import type { Annotation, VariantEffect } from '@helix/native';
import { type AnnotatableCall, callEffects } from './run-annotation.js';

/** Where an annotator says what went wrong (the pipeline's warnings). */
type Warn = (message: string, detail: Record<string, unknown>) => void;

/** What annotation has cost so far. */
export interface AnnotationCost {
  /** Sites annotated (each once). */
  sites: number;
  /** Mean time per site, in microseconds (0 before the first). */
  microsPerSite: number;
}

/**
 * A run's effects per site: each site is annotated once, the first time it is asked for (when it
 * is first confirmed), and remembered for the run — annotation is deterministic, so a site that
 * falls back to candidate keeps its effects.
 */
export class SiteAnnotator {
  readonly #annotation: Annotation;
  readonly #effects = new Map<string, VariantEffect[]>();
  readonly #warn: Warn;
  #nanos = 0n;

  constructor(annotation: Annotation, warn: Warn) {
    this.#annotation = annotation;
    this.#warn = warn;
  }

  /** The annotator of a run with an annotation (its reading warnings said once), else undefined. */
  static forRun(runId: string, annotation: Annotation | undefined, warn: Warn): SiteAnnotator | undefined {
    if (!annotation) return undefined;
    const { warnings } = annotation;
    if (warnings.length > 0) {
      warn('the annotation has warnings', { runId, count: warnings.length, first: warnings.slice(0, 20) });
    }
    return new SiteAnnotator(annotation, warn);
  }

  /** The site's effects, annotating it now if it has not been. */
  annotate(site: string, call: AnnotatableCall): VariantEffect[] {
    const known = this.#effects.get(site);
    if (known) return known;
    const started = process.hrtime.bigint();
    let effects: VariantEffect[];
    try {
      effects = callEffects(this.#annotation, call);
    } catch (error) {
      // A call the annotator refuses (its ref disagrees with the reference) is stored without
      // effects, said once, rather than failing the run's publishing.
      this.#warn('a call could not be annotated', {
        contig: call.contig,
        position: call.position,
        reason: (error as Error).message,
      });
      effects = [];
    }
    this.#nanos += process.hrtime.bigint() - started;
    this.#effects.set(site, effects);
    return effects;
  }

  /** The site's effects if it has been annotated, else undefined. */
  known(site: string): VariantEffect[] | undefined {
    return this.#effects.get(site);
  }

  get cost(): AnnotationCost {
    const sites = this.#effects.size;
    return { sites, microsPerSite: sites === 0 ? 0 : Number(this.#nanos) / 1_000 / sites };
  }
}
