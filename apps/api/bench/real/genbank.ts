/** One sequence of a GenBank file. */
export interface GenbankRecord {
  name: string;
  circular: boolean;
  sequence: string;
}

/**
 * The sequences of a GenBank flat file: each record's LOCUS name and topology and its ORIGIN
 * bases (numbers and spaces dropped, upper case). Throws naming the line when a record has no
 * ORIGIN, when ORIGIN holds other characters, or when its length disagrees with the LOCUS line.
 */
export function parseGenbank(text: string): GenbankRecord[] {
  const records: GenbankRecord[] = [];
  let locus: { name: string; length: number; circular: boolean; line: number } | undefined;
  let bases: string[] | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const lineNumber = index + 1;
    if (line.startsWith('LOCUS')) {
      const [, name, length] = /^LOCUS\s+(\S+)\s+(\d+)\s+bp/.exec(line) ?? [];
      if (!name || !length) throw new Error(`GenBank line ${lineNumber}: LOCUS without a name and length`);
      locus = { name, length: Number(length), circular: /\bcircular\b/i.test(line), line: lineNumber };
      bases = undefined;
    } else if (line.startsWith('ORIGIN')) {
      if (!locus) throw new Error(`GenBank line ${lineNumber}: ORIGIN before any LOCUS`);
      bases = [];
    } else if (line.startsWith('//')) {
      if (!locus) continue;
      if (!bases) throw new Error(`GenBank record ${locus.name} (line ${locus.line}): no ORIGIN sequence`);
      const sequence = bases.join('');
      if (sequence.length !== locus.length) {
        throw new Error(`GenBank record ${locus.name}: LOCUS says ${locus.length} bp, ORIGIN holds ${sequence.length}`);
      }
      records.push({ name: locus.name, circular: locus.circular, sequence });
      locus = undefined;
      bases = undefined;
    } else if (bases) {
      const chunk = line.replace(/[\s\d]/g, '');
      if (/[^A-Za-z]/.test(chunk)) throw new Error(`GenBank line ${lineNumber}: not a sequence line: ${line}`);
      bases.push(chunk.toUpperCase());
    }
  }
  if (locus) throw new Error(`GenBank record ${locus.name} (line ${locus.line}): no closing //`);
  if (records.length === 0) throw new Error('GenBank: no LOCUS record');
  return records;
}
