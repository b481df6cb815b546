import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Annotation } from '@helix/native';
import { withAnnFieldsInBatches } from '../annotate/ann-batches.js';
import type { PublishedEffects } from '../annotate/published-effects.js';
import { type VcfVariant, vcfRecord } from '../vcf/writer.js';

/** The annotator refused one of the calls (its reference allele disagrees with the genes' reference). */
export class AnnotationRefusedError extends Error {
  override name = 'AnnotationRefusedError';
}

/**
 * The calls of `helix analyze`'s VCF in batches, with `INFO/ANN` values when the run has genes: a
 * stored run's as its alarms carried them ({@link PublishedEffects}), else annotated on a worker
 * thread a batch ahead of the writing. Rejects with an {@link AnnotationRefusedError}.
 */
export async function* annotatedBatches<T extends VcfVariant>(
  calls: readonly T[],
  annotation: Annotation | undefined,
  published: PublishedEffects | undefined,
): AsyncGenerator<readonly VcfVariant[]> {
  if (!annotation) {
    yield calls;
    return;
  }
  try {
    if (published) yield published.annotate(calls, annotation);
    else yield* withAnnFieldsInBatches(annotation, calls);
  } catch (error) {
    throw new AnnotationRefusedError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * Writes `header` and the records of `batches` to `path` (`-`: standard output), a batch at a time
 * and as fast as the file takes them. A write that fails part-way removes the file, so no truncated
 * VCF is left where a complete one is expected.
 */
export async function writeVcf(
  path: string,
  header: string,
  batches: AsyncIterable<readonly VcfVariant[]>,
): Promise<void> {
  const toStdout = path === '-';
  const out = toStdout ? process.stdout : createWriteStream(path);
  try {
    out.write(header);
    for await (const batch of batches) {
      if (!out.write(batch.map(vcfRecord).join(''))) await once(out, 'drain');
    }
    if (!toStdout) {
      out.end();
      await finished(out);
    }
  } catch (error) {
    if (!toStdout) {
      out.destroy();
      await rm(path, { force: true });
    }
    throw error;
  }
}
