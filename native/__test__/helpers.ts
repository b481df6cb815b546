import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary directory, removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `helix-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One FASTQ record. */
export interface FastqRecord {
  name: string;
  bases: string;
  qualities: string;
}

/** Parses well-formed FASTQ text (test fixture reader, not the product's). */
export function parseFastq(text: string): FastqRecord[] {
  const lines = text.split('\n');
  const records: FastqRecord[] = [];
  for (let i = 0; i + 3 < lines.length; i += 4) {
    records.push({
      name: (lines[i] as string).slice(1),
      bases: lines[i + 1] as string,
      qualities: lines[i + 3] as string,
    });
  }
  return records;
}

/** Parses FASTA text into name → upper-case sequence. */
export function parseFasta(text: string): Map<string, string> {
  const contigs = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('>')) {
      current = [];
      contigs.set(line.slice(1).split(/\s/)[0] as string, current);
    } else if (line && current) {
      current.push(line.toUpperCase());
    }
  }
  return new Map([...contigs].map(([name, parts]) => [name, parts.join('')]));
}

/** One VCF data line. */
export interface VcfVariant {
  contig: string;
  position: number;
  ref: string;
  alt: string;
  type: string;
  genotype: string;
}

/** Parses the data lines of a VCF with one sample. */
export function parseVcf(text: string): VcfVariant[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [contig, position, , ref, alt, , , info, , genotype] = line.split('\t') as string[];
      return {
        contig: contig as string,
        position: Number(position),
        ref: ref as string,
        alt: alt as string,
        type: (info as string).replace('TYPE=', ''),
        genotype: genotype as string,
      };
    });
}

/** A haplotype rebuilt from a reference and the variants it carries. */
export interface Haplotype {
  sequence: string;
  /** For each carried variant: where its alternate allele starts in `sequence`. */
  altStarts: Map<VcfVariant, number>;
}

/** Applies the variants whose genotype carries haplotype `h` (0 or 1) to `reference`. */
export function applyVariants(reference: string, variants: VcfVariant[], h: number): Haplotype {
  const parts: string[] = [];
  const altStarts = new Map<VcfVariant, number>();
  let cursor = 0;
  let length = 0;
  for (const v of variants) {
    if (v.genotype.split('|')[h] !== '1') continue;
    const start = v.position - 1;
    if (reference.slice(start, start + v.ref.length) !== v.ref) {
      throw new Error(`REF of ${v.contig}:${v.position} does not match the reference`);
    }
    const before = reference.slice(cursor, start);
    parts.push(before, v.alt);
    length += before.length;
    altStarts.set(v, length);
    length += v.alt.length;
    cursor = start + v.ref.length;
  }
  parts.push(reference.slice(cursor));
  return { sequence: parts.join(''), altStarts };
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' };

/** Reverse complement of a base string. */
export function reverseComplement(bases: string): string {
  let out = '';
  for (let i = bases.length - 1; i >= 0; i--) out += COMPLEMENT[bases[i] as string] ?? 'N';
  return out;
}

/** The origin a simulated read's name encodes: `serial:hap:start-end:strand:contig[/mate]`. */
export interface ReadOrigin {
  serial: number;
  haplotype: number;
  /** 1-based first base of the fragment on the haplotype. */
  start: number;
  /** Last base of the fragment on the haplotype. */
  end: number;
  strand: '+' | '-';
  contig: string;
  mate: 0 | 1 | 2;
}

/** Parses a simulated read name. */
export function readOrigin(name: string): ReadOrigin {
  const mate = name.endsWith('/1') ? 1 : name.endsWith('/2') ? 2 : 0;
  const base = mate ? name.slice(0, -2) : name;
  const [serial, haplotype, span, strand, ...contig] = base.split(':') as string[];
  const [start, end] = (span as string).split('-').map(Number) as [number, number];
  return {
    serial: Number(serial),
    haplotype: Number(haplotype) - 1,
    start,
    end,
    strand: strand as '+' | '-',
    contig: contig.join(':'),
    mate,
  };
}

/** Where a read lies on its haplotype (0-based start) and whether it is reverse-complemented. */
export function readWindow(origin: ReadOrigin, readLength: number): { from: number; reverse: boolean } {
  if (origin.mate === 0) return { from: origin.start - 1, reverse: origin.strand === '-' };
  // Pairs: the forward mate starts the fragment, the reverse mate ends it;
  // strand '+' means mate 1 is the forward one.
  const forward = (origin.mate === 1) === (origin.strand === '+');
  return forward ? { from: origin.start - 1, reverse: false } : { from: origin.end - readLength, reverse: true };
}

/** Bytes of a typed array, for byte-wise comparison. */
export function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

/**
 * Left-normalises a VCF allele as `bcftools norm` does (test fixture, mirrors
 * `pileup::normalise`): trims shared right-end bases (re-anchoring on the base
 * before when an allele runs empty), then shared left-end bases while both
 * alleles keep one. `sequence` is the contig; `position` is 1-based.
 */
export function normaliseVariant(
  sequence: string,
  position: number,
  ref: string,
  alt: string,
): { position: number; ref: string; alt: string } {
  let start = position - 1;
  if (ref !== alt) {
    for (let changed = true; changed; ) {
      changed = false;
      if (ref && alt && ref.at(-1) === alt.at(-1)) {
        ref = ref.slice(0, -1);
        alt = alt.slice(0, -1);
        changed = true;
      }
      if ((!ref || !alt) && start > 0) {
        start -= 1;
        ref = `${sequence[start]}${ref}`;
        alt = `${sequence[start]}${alt}`;
        changed = true;
      }
    }
    if (!ref || !alt) {
      const after = sequence[start + ref.length] as string;
      ref += after;
      alt += after;
    }
    while (ref.length > 1 && alt.length > 1 && ref[0] === alt[0]) {
      ref = ref.slice(1);
      alt = alt.slice(1);
      start += 1;
    }
  }
  return { position: start + 1, ref, alt };
}
