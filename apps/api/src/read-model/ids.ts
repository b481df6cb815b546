/** The identity of a variant: one call per run, sample, contig, position, ref and alt. */
export interface VariantKey {
  runId: string;
  /** Undefined in IDs issued before calls had samples (those runs hold one sample). */
  sample: string | undefined;
  contig: string;
  position: number;
  ref: string;
  alt: string;
}

const PREFIX = 'V1.';

/**
 * A variant's opaque ID, derived from its identity rather than its row id, so the live
 * `mutationDetected` alarm and the stored row carry the same ID before the row is written.
 */
export function variantId(key: VariantKey & { sample: string }): string {
  return (
    PREFIX +
    Buffer.from(JSON.stringify([key.runId, key.contig, key.position, key.ref, key.alt, key.sample])).toString(
      'base64url',
    )
  );
}

/** Reads a variant ID back; undefined when it is not one. */
export function parseVariantId(id: string): VariantKey | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  try {
    const parts: unknown = JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8'));
    // IDs handed out before calls had samples hold five parts: the run's one sample is theirs.
    if (!Array.isArray(parts) || (parts.length !== 5 && parts.length !== 6)) return undefined;
    const [runId, contig, position, ref, alt, sample = null] = parts as unknown[];
    if (typeof runId !== 'string' || typeof contig !== 'string' || typeof ref !== 'string' || typeof alt !== 'string')
      return undefined;
    if (sample !== null && typeof sample !== 'string') return undefined;
    if (typeof position !== 'number' || !Number.isSafeInteger(position)) return undefined;
    return { runId, sample: sample ?? undefined, contig, position, ref, alt };
  } catch {
    return undefined;
  }
}
