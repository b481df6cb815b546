import type { Annotation } from '@helix/native';
import { type AnnotatableCall, callLines } from './annotate-many.js';

/** Calls annotated per crossing to the annotator's worker thread. */
const BATCH_CALLS = 1_024;

/**
 * `calls` in order, a batch at a time, each with its `INFO/ANN` value when it has one. Batches are
 * annotated on a worker thread, and the next is under way while the caller formats the one it was
 * given, so a VCF's annotation takes little of its writing's time. Rejects at the first call the
 * annotator refuses.
 */
export async function* withAnnFieldsInBatches<T extends AnnotatableCall>(
  annotation: Annotation,
  calls: readonly T[],
  batchCalls = BATCH_CALLS,
): AsyncGenerator<(T & { annotation?: string })[]> {
  const annotate = (start: number) => {
    const batch = calls.slice(start, start + batchCalls);
    const fields = batch.length === 0 ? undefined : annotation.annotateManyAnnAsync(callLines(batch));
    // Taken when awaited below; a consumer that stops early must not leave it unhandled.
    fields?.catch(() => {});
    return { batch, fields };
  };
  let current = annotate(0);
  for (let start = 0; current.fields !== undefined; start += batchCalls) {
    const fields = await current.fields;
    const { batch } = current;
    current = annotate(start + batchCalls);
    yield batch.map((call, index) => {
      const ann = fields[index];
      return ann ? { ...call, annotation: ann } : call;
    });
  }
}
