import type { Annotation, VariantEffect } from '@helix/native';
import { bySeverity, rememberAnnField } from './ann-field.js';
import { annotateMany } from './annotate-many.js';
import type { AnnotatableCall } from './run-annotation.js';

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
    this.annotateAll([{ site, call }]);
    return this.#effects.get(site) ?? [];
  }

  /**
   * Annotates the sites not annotated yet, all in one crossing to the annotator (a tick's first
   * confirmations come together, and one batch costs far less than a call each).
   */
  annotateAll(sites: readonly { site: string; call: AnnotatableCall }[]): void {
    const fresh = new Map<string, AnnotatableCall>();
    for (const { site, call } of sites) if (!this.#effects.has(site)) fresh.set(site, call);
    if (fresh.size === 0) return;
    const started = process.hrtime.bigint();
    const calls = [...fresh.values()];
    const outcomes = annotateMany(this.#annotation, calls);
    [...fresh.keys()].forEach((site, index) => {
      const outcome = outcomes[index];
      if (outcome !== undefined && 'effects' in outcome) {
        const effects = bySeverity(outcome.effects);
        // What the alarms carry: a VCF of them takes its ANN values as the annotator wrote them.
        rememberAnnField(calls[index]?.alt ?? '', effects, outcome.ann);
        this.#effects.set(site, effects);
        return;
      }
      // A call the annotator refuses (its ref disagrees with the reference) is stored without
      // effects, said once, rather than failing the run's publishing.
      const call = calls[index];
      this.#warn('a call could not be annotated', {
        contig: call?.contig,
        position: call?.position,
        reason: outcome?.error ?? 'the annotator gave no answer',
      });
      this.#effects.set(site, []);
    });
    this.#nanos += process.hrtime.bigint() - started;
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
