/** The identity of a variant: one call per run, contig, position, ref and alt. */
export interface VariantKey {
  runId: string;
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
export function variantId(key: VariantKey): string {
  return (
    PREFIX + Buffer.from(JSON.stringify([key.runId, key.contig, key.position, key.ref, key.alt])).toString('base64url')
  );
}

/** Reads a variant ID back; undefined when it is not one. */
export function parseVariantId(id: string): VariantKey | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  try {
    const parts: unknown = JSON.parse(Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (!Array.isArray(parts) || parts.length !== 5) return undefined;
    const [runId, contig, position, ref, alt] = parts as unknown[];
    if (typeof runId !== 'string' || typeof contig !== 'string' || typeof ref !== 'string' || typeof alt !== 'string')
      return undefined;
    if (typeof position !== 'number' || !Number.isSafeInteger(position)) return undefined;
    return { runId, contig, position, ref, alt };
  } catch {
    return undefined;
  }
}
