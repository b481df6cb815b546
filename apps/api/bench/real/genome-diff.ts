import { classOf, type ExpectedEvent } from './events.js';
import { basesAt, type Contig } from './fasta.js';

/** Junctions rarer than this are taken for noise (breseq lists many chimeric reads near 1 %). */
export const MINORITY_MIN_FREQUENCY = 0.05;

/** One line of a GenomeDiff: its type, id, parents, positional fields and key=value pairs. */
export interface GenomeDiffRecord {
  type: string;
  id: string;
  parents: string[];
  fields: string[];
  keys: Map<string, string>;
  line: number;
}

const MUTATIONS = new Set(['SNP', 'SUB', 'DEL', 'INS', 'MOB', 'AMP', 'CON', 'INV']);

/** Splits a GenomeDiff (breseq's tab-separated format) into records; `#` lines are comments. */
export function parseGenomeDiff(text: string): GenomeDiffRecord[] {
  const records: GenomeDiffRecord[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line === '' || line.startsWith('#')) continue;
    const [type = '', id = '', parents = '', ...rest] = line.split('\t');
    const fields: string[] = [];
    const keys = new Map<string, string>();
    for (const column of rest) {
      const equals = column.indexOf('=');
      if (equals > 0 && /^[a-z_0-9]+$/i.test(column.slice(0, equals)))
        keys.set(column.slice(0, equals), column.slice(equals + 1));
      else fields.push(column);
    }
    records.push({ type, id, parents: parents === '.' ? [] : parents.split(','), fields, keys, line: index + 1 });
  }
  return records;
}

function contigOf(contigs: ReadonlyMap<string, Contig>, name: string, record: GenomeDiffRecord): Contig {
  const contig = contigs.get(name);
  if (!contig) throw new Error(`GenomeDiff line ${record.line}: unknown contig ${name}`);
  return contig;
}

function integer(record: GenomeDiffRecord, index: number): number {
  const value = Number(record.fields[index]);
  if (!Number.isInteger(value)) throw new Error(`GenomeDiff line ${record.line}: field ${index + 4} is not a number`);
  return value;
}

/** A mutation line as the edit it makes to the reference. */
function mutationEvent(record: GenomeDiffRecord, contigs: ReadonlyMap<string, Contig>): ExpectedEvent {
  const contig = contigOf(contigs, record.fields[0] ?? '', record);
  const position = integer(record, 1);
  const frequency = Number(record.keys.get('frequency') ?? 1);
  const event = (start: number, ref: string, alt: string, label: string): ExpectedEvent => ({
    contig: contig.name,
    start,
    ref,
    alt,
    class: classOf({ ref, alt }),
    frequency,
    label,
    published: true,
  });
  switch (record.type) {
    case 'SNP': {
      const ref = basesAt(contig, position, 1);
      return event(position, ref, record.fields[2] ?? '', `SNP ${position} ${ref}>${record.fields[2]}`);
    }
    case 'SUB': {
      const size = integer(record, 2);
      return event(position, basesAt(contig, position, size), record.fields[3] ?? '', `SUB ${position} ${size} bp`);
    }
    case 'DEL': {
      const size = integer(record, 2);
      return event(position, basesAt(contig, position, size), '', `DEL ${position} ${size} bp`);
    }
    case 'INS':
      // breseq inserts after `position`.
      return event(position + 1, '', record.fields[2] ?? '', `INS ${position} +${record.fields[2]}`);
    default:
      throw new Error(`GenomeDiff line ${record.line}: ${record.type} mutations are not scored yet`);
  }
}

/**
 * A new junction that no mutation explains, read as a deletion: the side whose sequence ends at
 * its position (strand -1) is joined to the side that starts at its position (strand +1). On a
 * circular contig a junction to an earlier position deletes across the origin; on a linear one it
 * would be a duplication; neither that nor a junction with new sequence between its sides (negative
 * overlap) is scored (undefined).
 */
function junctionDeletion(record: GenomeDiffRecord, contigs: ReadonlyMap<string, Contig>): ExpectedEvent | undefined {
  const [side1, , strand1, side2, , strand2, overlap] = record.fields;
  // A negative overlap is new sequence between the two sides: not a plain deletion.
  if (side1 !== side2 || strand1 === strand2 || Number(overlap) < 0) return undefined;
  const contig = contigOf(contigs, side1 ?? '', record);
  const [first, second] = [integer(record, 1), integer(record, 4)];
  const [left, right] = strand1 === '-1' ? [first, second] : [second, first];
  const length = contig.sequence.length;
  const size = right > left ? right - left - 1 : contig.circular ? length - left + right - 1 : 0;
  if (size <= 0) return undefined;
  const ref = basesAt(contig, left + 1, size);
  return {
    contig: contig.name,
    start: left + 1,
    ref,
    alt: '',
    class: classOf({ ref, alt: '' }),
    frequency: Number(record.keys.get('frequency') ?? 0),
    label: `JC ${left}~${right} (deletes ${size} bp)`,
    published: false,
  };
}

/**
 * The events a GenomeDiff expects: every SNP, SUB, DEL and INS (the published list), and each
 * junction (JC) that is the parent of no mutation and has frequency ≥ {@link MINORITY_MIN_FREQUENCY},
 * read as a deletion (evidence only). RA and MC lines only support mutations; RA lines no mutation
 * cites are polymorphisms breseq itself rejected, and are not expected.
 */
export function expectedEvents(records: readonly GenomeDiffRecord[], contigs: readonly Contig[]): ExpectedEvent[] {
  const byName = new Map(contigs.map((contig) => [contig.name, contig]));
  const cited = new Set(records.filter((record) => MUTATIONS.has(record.type)).flatMap((record) => record.parents));
  const mutations = records
    .filter((record) => MUTATIONS.has(record.type))
    .map((record) => mutationEvent(record, byName));
  const junctions: ExpectedEvent[] = [];
  for (const record of records) {
    if (record.type !== 'JC' || cited.has(record.id)) continue;
    const frequency = Number(record.keys.get('frequency') ?? 0);
    const deletion = frequency >= MINORITY_MIN_FREQUENCY ? junctionDeletion(record, byName) : undefined;
    if (deletion) junctions.push(deletion);
  }
  return [...mutations, ...junctions];
}
