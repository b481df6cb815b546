/**
 * Pure TypeScript reference implementation of the native read simulator
 * (`src/rng.rs`, `src/reference.rs`, `src/simulate.rs`): the same algorithm,
 * draw for draw, so the same seed gives the same reference, mutations, truth
 * and reads. Used by the differential tests and the benchmark; the pipeline
 * always uses the native addon.
 *
 * PRNG: xoshiro128** (32-bit words, `Math.imul` and `>>> 0` only), seeded
 * from splitmix64 over `seed + stream × 0xD1B54A32D192ED03` (BigInt, once per
 * stream). Bounded integers are `floor(u × n / 2^32)`, computed exactly.
 * No transcendental functions: only `+ - × /` and comparisons, which IEEE 754
 * makes identical in Rust and JavaScript.
 *
 * @module
 */

import type { ReadBatch } from '../index.js';

/** Independent random streams derived from one seed. */
export const Stream = { reference: 1n, mutations: 2n, reads: 3n, errors: 4n } as const;

/** A random stream of {@link Stream}. */
export type StreamId = (typeof Stream)[keyof typeof Stream];

const MASK64 = (1n << 64n) - 1n;
const TWO_32 = 4294967296;

/** One step of splitmix64: the new state and the output. */
export function splitmix64(state: bigint): [state: bigint, output: bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** xoshiro128** generator, bit-identical to `Rng` in `src/rng.rs`. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** A generator for `stream` of `seed` (a whole number below 2^53). */
  constructor(seed: number | bigint, stream: StreamId) {
    const [state, a] = splitmix64((BigInt(seed) + stream * 0xd1b54a32d192ed03n) & MASK64);
    const [, b] = splitmix64(state);
    this.s0 = Number(a & 0xffffffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffffffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 uniformly distributed bits, as an unsigned number. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in `[0, n)` for `n <= 2^32`: exactly `floor(u × n / 2^32)`. */
  below(n: number): number {
    const u = this.nextU32();
    if (n <= 0x200000) return Math.floor((u * n) / TWO_32);
    const low = u * (n % 65536);
    const high = u * Math.floor(n / 65536);
    return Math.floor((high + Math.floor(low / 65536)) / 65536);
  }

  /** One fair bit: the top bit of the next output. */
  bit(): number {
    return this.nextU32() >>> 31;
  }
}

/** `floor(p × 2^32)` clamped to `[0, 2^32]`: `nextU32() < threshold(p)` has probability `p`. */
export function threshold(p: number): number {
  const t = Math.floor(p * TWO_32);
  if (t <= 0) return 0;
  return Math.min(t, TWO_32);
}

const A = 65;
const C = 67;
const G = 71;
const T = 84;
const N = 78;
const ACGT = [A, C, G, T] as const;

/** `base` replaced by one of the three other bases (`choice` in 0..3); `N` stays `N`. */
export function substitute(base: number, choice: number): number {
  switch (base) {
    case A:
      return [C, G, T][choice] as number;
    case C:
      return [A, G, T][choice] as number;
    case G:
      return [A, C, T][choice] as number;
    case T:
      return [A, C, G][choice] as number;
    default:
      return base;
  }
}

/** Complement of an upper-case base; anything else becomes `N`. */
export function complement(base: number): number {
  switch (base) {
    case A:
      return T;
    case C:
      return G;
    case G:
      return C;
    case T:
      return A;
    default:
      return N;
  }
}

/** One named sequence of upper-case `ACGTN` bases. */
export interface Contig {
  /** Contig name. */
  name: string;
  /** Bases as ASCII. */
  sequence: Uint8Array;
}

/** A random reference: `length` uniform bases, 16 per 32-bit draw, low bits first. */
export function randomReference(length: number, seed: number, name = 'random'): Contig[] {
  const rng = new Rng(seed, Stream.reference);
  const sequence = new Uint8Array(length);
  let i = 0;
  while (i < length) {
    let word = rng.nextU32();
    const take = Math.min(16, length - i);
    for (let k = 0; k < take; k++) {
      sequence[i++] = ACGT[word & 3] as number;
      word >>>= 2;
    }
  }
  return [{ name, sequence }];
}

/** Which haplotypes carry a variant, as a phased VCF genotype. */
export type Genotype = '1|1' | '1|0' | '0|1';

/** One injected variant in VCF convention (indels carry the anchor base). */
export interface TruthVariant {
  /** Contig name. */
  contig: string;
  /** 1-based position of the first reference base. */
  position: number;
  /** Reference allele. */
  ref: string;
  /** Alternate allele. */
  alt: string;
  /** `SNV`, `INSERTION` or `DELETION`. */
  type: 'SNV' | 'INSERTION' | 'DELETION';
  /** Phased genotype. */
  genotype: Genotype;
}

/** One contig of a diploid sample. */
export interface SampleContig {
  /** Contig name. */
  name: string;
  /** Length of the reference contig. */
  referenceLength: number;
  /** The two haplotypes. */
  haplotypes: [Uint8Array, Uint8Array];
  /** Whether the contig holds any `N`. */
  hasN: boolean;
}

/** A diploid sample with its truth set. */
export interface Sample {
  /** Contigs in reference order. */
  contigs: SampleContig[];
  /** Injected variants, by contig and position. */
  truth: TruthVariant[];
}

/** Mutation options, as in the native `MutationOptions`. */
export interface MutationOptions {
  /** Probability that a position starts a mutation (default 0.001). */
  mutationRate?: number;
  /** Fraction of mutations that are indels (default 0.15). */
  indelFraction?: number;
  /** Seed (default 1). */
  seed?: number;
}

/** Longest simulated indel. */
export const MAX_INDEL = 10;
/** Probability that an indel grows by one more base. */
export const INDEL_EXTEND = 0.3;

const ascii = (bytes: Uint8Array | number[]): string => String.fromCharCode(...bytes);

const carries = (genotype: Genotype, h: number): boolean =>
  genotype === '1|1' || (genotype === '1|0' ? h === 0 : h === 1);

/** Injects SNVs and indels into both haplotypes of `reference` (see `src/simulate.rs`). */
export function mutate(reference: Contig[], options: MutationOptions = {}): Sample {
  const mutation = threshold(options.mutationRate ?? 0.001);
  const indel = threshold(options.indelFraction ?? 0.15);
  const extend = threshold(INDEL_EXTEND);
  const rng = new Rng(options.seed ?? 1, Stream.mutations);
  const truth: TruthVariant[] = [];
  const contigs: SampleContig[] = [];
  for (const contig of reference) {
    const seq = contig.sequence;
    const len = seq.length;
    const edits: { start: number; refLength: number; alt: Uint8Array; genotype: Genotype }[] = [];
    let i = 0;
    while (i < len) {
      const position = i;
      i += 1;
      if (rng.nextU32() >= mutation) continue;
      const base = seq[position] as number;
      if (base === N) continue;
      const g = rng.below(3);
      const genotype: Genotype = g === 0 ? '1|1' : g === 1 ? '1|0' : '0|1';
      let refAllele: number[];
      let alt: number[];
      if (rng.nextU32() < indel) {
        const deletion = rng.bit() === 1;
        let length = 1;
        while (length < MAX_INDEL && rng.nextU32() < extend) length += 1;
        if (deletion) {
          const end = position + length;
          if (end >= len || seq.subarray(position + 1, end + 1).includes(N) || seq[end] === base) {
            continue;
          }
          i = end + 1;
          refAllele = Array.from(seq.subarray(position, end + 1));
          alt = [base];
        } else {
          alt = [base];
          for (let k = 0; k < length; k++) alt.push(ACGT[rng.nextU32() >>> 30] as number);
          if (alt[length] === base) alt[length] = substitute(base, rng.below(3));
          refAllele = [base];
        }
      } else {
        refAllele = [base];
        alt = [substitute(base, rng.below(3))];
      }
      edits.push({ start: position, refLength: refAllele.length, alt: Uint8Array.from(alt), genotype });
      truth.push({
        contig: contig.name,
        position: position + 1,
        ref: ascii(refAllele),
        alt: ascii(alt),
        type: refAllele.length === alt.length ? 'SNV' : refAllele.length < alt.length ? 'INSERTION' : 'DELETION',
        genotype,
      });
    }
    const haplotype = (h: number): Uint8Array => {
      const parts: Uint8Array[] = [];
      let cursor = 0;
      for (const edit of edits) {
        if (!carries(edit.genotype, h)) continue;
        parts.push(seq.subarray(cursor, edit.start), edit.alt);
        cursor = edit.start + edit.refLength;
      }
      parts.push(seq.subarray(cursor));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    };
    contigs.push({
      name: contig.name,
      referenceLength: len,
      haplotypes: [haplotype(0), haplotype(1)],
      hasN: seq.includes(N),
    });
  }
  return { contigs, truth };
}

/** `10^(-0.05)`: Phred thresholds are `10^(-(q + 0.5) / 10)`. */
export const PHRED_FIRST_THRESHOLD = 0.8912509381337456;
/** `10^(-0.1)`: ratio between successive Phred thresholds. */
export const PHRED_STEP = 0.7943282347242815;
/** Lowest Phred quality written. */
export const MIN_QUALITY = 2;
/** Highest Phred quality written. */
export const MAX_QUALITY = 41;

/** Phred quality of error probability `p`, clamped to 2..41, without logarithms. */
export function phred(p: number): number {
  let t = PHRED_FIRST_THRESHOLD;
  let q = 0;
  while (q < MAX_QUALITY && p < t) {
    q += 1;
    t *= PHRED_STEP;
  }
  return Math.max(q, MIN_QUALITY);
}

/** Error sampling tables and qualities for reads of one length. */
export interface ErrorModel {
  /** `2^32 ×` probability of at most `k` errors. */
  countThresholds: number[];
  /** `2^32 ×` probability that an error falls at or before each cycle. */
  cycleThresholds: number[];
  /** Phred+33 quality of each cycle. */
  qualities: Uint8Array;
}

/** Per-cycle rates rise from 0.5× to 1.5× `rate`; see `ErrorModel::new` in `src/simulate.rs`. */
export function errorModel(length: number, rate: number): ErrorModel {
  const rates: number[] = [];
  for (let i = 0; i < length; i++) {
    const weight = length === 1 ? 1 : 0.5 + i / (length - 1);
    rates.push(Math.min(rate * weight, 1));
  }
  const pmf = new Array<number>(length + 1).fill(0);
  pmf[0] = 1;
  rates.forEach((p, i) => {
    const q = 1 - p;
    for (let k = i + 1; k >= 1; k--) pmf[k] = (pmf[k] as number) * q + (pmf[k - 1] as number) * p;
    pmf[0] = (pmf[0] as number) * q;
  });
  let cumulative = 0;
  const countThresholds = pmf.map((p) => {
    cumulative += p;
    return threshold(cumulative);
  });
  countThresholds[length] = TWO_32;
  let total = 0;
  for (const p of rates) total += p;
  cumulative = 0;
  const cycleThresholds = rates.map((p) => {
    cumulative += p;
    return total > 0 ? threshold(cumulative / total) : TWO_32;
  });
  if (length > 0) cycleThresholds[length - 1] = TWO_32;
  return { countThresholds, cycleThresholds, qualities: Uint8Array.from(rates, (p) => phred(p) + 33) };
}

/** Read sampling options, as in the native `ReadOptions`. */
export interface ReadOptions {
  /** Bases per read (default 150). */
  readLength?: number;
  /** Mate pairs (default false). */
  paired?: boolean;
  /** Mean fragment length (default 500). */
  insertMean?: number;
  /** Fragment length spread (default 50). */
  insertSd?: number;
  /** Mean error rate per base (default 0.001). */
  errorRate?: number;
  /** Seed (default 1). */
  seed?: number;
}

/** Attempts to draw a fragment whose reads are at most 10 % `N`. */
export const N_ATTEMPTS = 8;

/** Growable byte buffer. */
class Bytes {
  data: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity: number) {
    this.data = new Uint8Array(Math.max(capacity, 16));
  }

  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const grown = new Uint8Array(Math.max(this.data.length * 2, this.length + extra));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  push(byte: number): void {
    this.reserve(1);
    this.data[this.length++] = byte;
  }

  pushAscii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.data[this.length++] = text.charCodeAt(i);
  }

  bytes(): Uint8Array<ArrayBuffer> {
    return this.data.slice(0, this.length);
  }
}

/** Samples reads from a {@link Sample} exactly as the native `ReadSimulator`. */
export class ReadSimulator {
  readonly readLength: number;
  readonly paired: boolean;
  private readonly insertMean: number;
  private readonly insertSd: number;
  private readonly rng: Rng;
  private readonly errorRng: Rng;
  private readonly model: ErrorModel;
  private readonly contigEnds: number[];
  private readonly totalLength: number;
  private fragments = 0;
  private batches = 0;

  /** A simulator over `sample`; throws when a read is longer than every haplotype. */
  constructor(
    private readonly sample: Sample,
    options: ReadOptions = {},
  ) {
    this.readLength = options.readLength ?? 150;
    this.paired = options.paired ?? false;
    this.insertMean = options.insertMean ?? 500;
    this.insertSd = options.insertSd ?? 50;
    this.rng = new Rng(options.seed ?? 1, Stream.reads);
    this.errorRng = new Rng(options.seed ?? 1, Stream.errors);
    this.model = errorModel(this.readLength, options.errorRate ?? 0.001);
    let end = 0;
    this.contigEnds = sample.contigs.map((c) => (end += c.referenceLength));
    this.totalLength = end;
    const longest = Math.max(...sample.contigs.flatMap((c) => c.haplotypes.map((h) => h.length)));
    if (longest < this.readLength) {
      throw new Error(`readLength: ${this.readLength} is longer than the reference`);
    }
  }

  /** Fragments (reads, or pairs) simulated so far. */
  get fragmentsSimulated(): number {
    return this.fragments;
  }

  /** Simulates `fragments` reads (pairs when paired) into one batch. */
  nextBatch(fragments: number): ReadBatch {
    const reads = this.paired ? fragments * 2 : fragments;
    const length = this.readLength;
    const bases = new Uint8Array(reads * length);
    const qualities = new Uint8Array(reads * length);
    const offsets = new Uint32Array(reads + 1);
    const names = new Bytes(reads * 32);
    const nameOffsets = new Uint32Array(reads + 1);
    const sequence = this.batches++;
    const firstRead = this.paired ? this.fragments * 2 : this.fragments;
    let read = 0;
    for (let f = 0; f < fragments; f++) {
      const { contig, h, start, fragment, reverse } = this.drawFragment();
      const hap = contig.haplotypes[h] as Uint8Array;
      const end = start + fragment;
      const windows: [number, boolean][] = !this.paired
        ? [[start, reverse]]
        : reverse
          ? [
              [end - length, true],
              [start, false],
            ]
          : [
              [start, false],
              [end - length, true],
            ];
      windows.forEach(([from, rc], mate) => {
        const offset = read * length;
        if (rc) {
          for (let k = 0; k < length; k++) bases[offset + k] = complement(hap[from + length - 1 - k] as number);
        } else {
          bases.set(hap.subarray(from, from + length), offset);
        }
        this.addErrors(bases, offset);
        qualities.set(this.model.qualities, offset);
        names.pushAscii(
          `${this.fragments}:${h + 1}:${start + 1}-${end}:${reverse ? '-' : '+'}:${contig.name}` +
            (this.paired ? (mate === 0 ? '/1' : '/2') : ''),
        );
        read += 1;
        offsets[read] = read * length;
        nameOffsets[read] = names.length;
      });
      this.fragments += 1;
    }
    return {
      sequence,
      firstRead,
      reads,
      paired: this.paired,
      bases,
      qualities,
      offsets,
      names: names.bytes(),
      nameOffsets,
      // Simulated bases are always ACGT.
      ambiguousReads: 0,
    };
  }

  private drawFragment(): { contig: SampleContig; h: number; start: number; fragment: number; reverse: boolean } {
    const length = this.readLength;
    let attempts = 0;
    for (;;) {
      const g = this.rng.below(this.totalLength);
      let index = 0;
      while ((this.contigEnds[index] as number) <= g) index += 1;
      const contig = this.sample.contigs[index] as SampleContig;
      const h = this.rng.bit();
      const hap = contig.haplotypes[h] as Uint8Array;
      if (hap.length < length) continue;
      let fragment = length;
      if (this.paired) {
        const spread = 2 * this.insertSd + 1;
        const sum = this.rng.below(spread) + this.rng.below(spread) + this.rng.below(spread);
        const insert = this.insertMean - 3 * this.insertSd + sum;
        fragment = Math.min(Math.max(insert, length), hap.length);
      }
      const start = this.rng.below(hap.length - fragment + 1);
      const reverse = this.rng.bit() === 1;
      if (contig.hasN && attempts < N_ATTEMPTS) {
        const tooManyN = (from: number): boolean => {
          let n = 0;
          for (let k = from; k < from + length; k++) if (hap[k] === N) n += 1;
          return n * 10 > length;
        };
        if (tooManyN(start) || (this.paired && tooManyN(start + fragment - length))) {
          attempts += 1;
          continue;
        }
      }
      return { contig, h, start, fragment, reverse };
    }
  }

  private addErrors(bases: Uint8Array, offset: number): void {
    const u = this.errorRng.nextU32();
    const counts = this.model.countThresholds;
    let errors = 0;
    while (u >= (counts[errors] as number)) errors += 1;
    const cycles = this.model.cycleThresholds;
    for (let e = 0; e < errors; e++) {
      const v = this.errorRng.nextU32();
      let cycle = 0;
      while ((cycles[cycle] as number) <= v) cycle += 1;
      const choice = this.errorRng.below(3);
      bases[offset + cycle] = substitute(bases[offset + cycle] as number, choice);
    }
  }
}

/** FASTQ text of reads `first`, `first + step`, ... of a batch. */
export function batchToFastq(batch: ReadBatch, step = 1, first = 0): string {
  const text: string[] = [];
  for (let i = first; i < batch.reads; i += step) {
    const s = batch.offsets[i] as number;
    const e = batch.offsets[i + 1] as number;
    const name = ascii(batch.names.subarray(batch.nameOffsets[i], batch.nameOffsets[i + 1]));
    text.push(`@${name}\n${ascii(batch.bases.subarray(s, e))}\n+\n${ascii(batch.qualities.subarray(s, e))}\n`);
  }
  return text.join('');
}

/** The truth set as VCF 4.3, byte-identical to `Sample::write_truth_vcf`. */
export function truthToVcf(sample: Sample): string {
  const lines = ['##fileformat=VCFv4.3', '##source=helix-simulate'];
  for (const c of sample.contigs) lines.push(`##contig=<ID=${c.name},length=${c.referenceLength}>`);
  lines.push(
    '##INFO=<ID=TYPE,Number=1,Type=String,Description="Variant type: SNV, INSERTION or DELETION">',
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tsample',
  );
  for (const v of sample.truth) {
    lines.push(`${v.contig}\t${v.position}\t.\t${v.ref}\t${v.alt}\t.\tPASS\tTYPE=${v.type}\tGT\t${v.genotype}`);
  }
  return `${lines.join('\n')}\n`;
}

/** FASTA text with `lineWidth` bases per line. */
export function referenceToFasta(contigs: Contig[], lineWidth = 60): string {
  const text: string[] = [];
  for (const c of contigs) {
    text.push(`>${c.name}\n`);
    for (let i = 0; i < c.sequence.length; i += lineWidth) {
      text.push(`${ascii(c.sequence.subarray(i, i + lineWidth))}\n`);
    }
  }
  return text.join('');
}

/** Options of {@link simulateFiles}, as in the native `simulateToFiles`. */
export interface SimulateFilesOptions extends MutationOptions, Omit<ReadOptions, 'paired'> {
  /** Contigs to sample from; default a random reference of `referenceLength`. */
  reference?: Contig[];
  /** Length of the random reference. */
  referenceLength?: number;
  /** Name of the random reference's contig (default `random`). */
  referenceName?: string;
  /** Reads, or pairs when `paired`. */
  reads: number;
  /** Mate pairs (the native API sets this by giving `out2`). */
  paired?: boolean;
}

/** The text of every file `simulateToFiles` writes, uncompressed. */
export interface SimulatedFiles {
  /** Reference FASTA. */
  reference: string;
  /** Truth VCF. */
  truth: string;
  /** FASTQ of reads or first mates. */
  out: string;
  /** FASTQ of second mates (empty unless paired). */
  out2: string;
}

/** Reference implementation of `simulateToFiles`: the same texts for the same options. */
export function simulateFiles(options: SimulateFilesOptions): SimulatedFiles {
  const seed = options.seed ?? 1;
  const contigs = options.reference ?? randomReference(options.referenceLength ?? 0, seed, options.referenceName);
  const sample = mutate(contigs, { ...options, seed });
  const simulator = new ReadSimulator(sample, { ...options, seed });
  const out: string[] = [];
  const out2: string[] = [];
  for (let done = 0; done < options.reads; ) {
    const fragments = Math.min(options.reads - done, 4096);
    const batch = simulator.nextBatch(fragments);
    if (options.paired) {
      out.push(batchToFastq(batch, 2, 0));
      out2.push(batchToFastq(batch, 2, 1));
    } else {
      out.push(batchToFastq(batch));
    }
    done += fragments;
  }
  return { reference: referenceToFasta(contigs), truth: truthToVcf(sample), out: out.join(''), out2: out2.join('') };
}
