import type { DetectionJob, DetectionResult } from '../pipeline/detector.js';

/** A stream entry as ioredis returns it in buffer mode: id and flat field/value list. */
export type RawEntry = [id: Buffer, fields: Buffer[]];

/** A batch as it travels through the `batches` stream. */
export interface BatchMessage extends DetectionJob {
  runId: string;
  sequence: number;
  reads: number;
}

/** What a worker reports for one batch: its analysis, or why it could not be analysed. */
export type ResultMessage =
  | { runId: string; sequence: number; kind: 'analysed'; result: DetectionResult }
  | { runId: string; sequence: number; kind: 'failed'; reason: string };

/** Raised for a stream entry that is not what Helix writes (names the entry and field). */
export class MalformedEntryError extends Error {
  override name = 'MalformedEntryError';
}

function bytes(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/** Copies into fresh, aligned memory: a Buffer from ioredis may sit at any offset of a pool. */
function copyOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer);
}

function fieldsOf(entry: RawEntry): Map<string, Buffer> {
  const [, flat] = entry;
  const fields = new Map<string, Buffer>();
  for (let index = 0; index + 1 < flat.length; index += 2) {
    fields.set((flat[index] as Buffer).toString(), flat[index + 1] as Buffer);
  }
  return fields;
}

function field(fields: Map<string, Buffer>, name: string, entry: RawEntry): Buffer {
  const value = fields.get(name);
  if (value === undefined) throw new MalformedEntryError(`stream entry ${entry[0].toString()} has no "${name}" field`);
  return value;
}

function whole(fields: Map<string, Buffer>, name: string, entry: RawEntry): number {
  const value = Number(field(fields, name, entry).toString());
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MalformedEntryError(`stream entry ${entry[0].toString()}: "${name}" is not a whole number`);
  }
  return value;
}

/** The field/value arguments of XADD for a batch (binary arrays sent as they are, no copy). */
export function encodeBatch(message: BatchMessage): (string | Buffer)[] {
  return [
    'run',
    message.runId,
    'seq',
    String(message.sequence),
    'reads',
    String(message.reads),
    'bases',
    bytes(message.bases),
    'qualities',
    bytes(message.qualities),
    'offsets',
    bytes(message.offsets),
    'sample',
    String(message.sample ?? 0),
    'paired',
    message.paired ? '1' : '0',
  ];
}

/** The run and sequence of a batch entry without decoding its reads; undefined if malformed. */
export function entryIdentity(entry: RawEntry): { runId: string; sequence: number } | undefined {
  try {
    const fields = fieldsOf(entry);
    return { runId: field(fields, 'run', entry).toString(), sequence: whole(fields, 'seq', entry) };
  } catch {
    return undefined;
  }
}

/** Reads a batch back from a stream entry. */
export function decodeBatch(entry: RawEntry): BatchMessage {
  const fields = fieldsOf(entry);
  const offsets = copyOf(field(fields, 'offsets', entry));
  if (offsets.byteLength % 4 !== 0) {
    throw new MalformedEntryError(`stream entry ${entry[0].toString()}: "offsets" is not a list of 32-bit numbers`);
  }
  return {
    runId: field(fields, 'run', entry).toString(),
    sequence: whole(fields, 'seq', entry),
    reads: whole(fields, 'reads', entry),
    bases: copyOf(field(fields, 'bases', entry)),
    qualities: copyOf(field(fields, 'qualities', entry)),
    offsets: new Uint32Array(offsets.buffer, 0, offsets.byteLength / 4),
    // Entries written before batches carried samples are of a run's one sample.
    sample: fields.has('sample') ? whole(fields, 'sample', entry) : 0,
    // Entries written before batches carried pairing are single-end.
    paired: fields.get('paired')?.toString() === '1',
  };
}

/** The field/value arguments of XADD for a batch's result. */
export function encodeResult(message: ResultMessage): (string | Buffer)[] {
  const head = ['run', message.runId, 'seq', String(message.sequence)];
  if (message.kind === 'failed') return [...head, 'failed', message.reason];
  const { result } = message;
  return [
    ...head,
    'reads',
    String(result.reads),
    'mapped',
    String(result.mappedReads),
    'proper',
    String(result.properlyPairedReads ?? 0),
    'mutated',
    String(result.mutatedReads),
    'mutations',
    String(result.mutationsFound),
    'ms',
    String(result.processingTimeMs),
    'evidence',
    bytes(result.evidence),
  ];
}

/** Reads a result back from a stream entry. */
export function decodeResult(entry: RawEntry): ResultMessage {
  const fields = fieldsOf(entry);
  const runId = field(fields, 'run', entry).toString();
  const sequence = whole(fields, 'seq', entry);
  const failed = fields.get('failed');
  if (failed !== undefined) return { runId, sequence, kind: 'failed', reason: failed.toString() };
  return {
    runId,
    sequence,
    kind: 'analysed',
    result: {
      reads: whole(fields, 'reads', entry),
      mappedReads: whole(fields, 'mapped', entry),
      properlyPairedReads: fields.has('proper') ? whole(fields, 'proper', entry) : 0,
      mutatedReads: whole(fields, 'mutated', entry),
      mutationsFound: whole(fields, 'mutations', entry),
      processingTimeMs: Number(field(fields, 'ms', entry).toString()),
      evidence: copyOf(field(fields, 'evidence', entry)),
      stored: true,
    },
  };
}
