import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  AlignerIndex,
  type BatchDetection,
  Detector,
  type MutatedSample,
  Pileup,
  type ReadBatch,
  ReadSimulator,
  Reference,
  type VariantCall,
  VariantCaller,
} from '../index.js';
import { normaliseVariant } from './helpers.js';

const REFERENCE_LENGTH = 200_000;
const READ_LENGTH = 150;
/** Reads for 30× coverage of the reference. */
const READS_30X = (REFERENCE_LENGTH * 30) / READ_LENGTH;

interface Genome {
  reference: Reference;
  sample: MutatedSample;
  index: AlignerIndex;
}

/** A random 200 kbp reference, a sample mutated at 0.001 (15 % indels) and the reference's aligner index. */
async function genome(seed: number): Promise<Genome> {
  const reference = Reference.random(REFERENCE_LENGTH, seed);
  const sample = reference.mutate({ mutationRate: 0.001, indelFraction: 0.15, seed });
  return { reference, sample, index: await AlignerIndex.build(reference) };
}

/** `reads` simulated 150-bp reads of `sample` in batches of `batchSize` (the same reads for the same seed). */
function* batches(sample: MutatedSample, seed: number, reads: number, batchSize = 4096): Generator<ReadBatch> {
  const simulator = new ReadSimulator(sample, { readLength: READ_LENGTH, errorRate: 0.002, seed });
  for (let made = 0; made < reads; ) {
    const batch = simulator.nextBatch(Math.min(batchSize, reads - made));
    made += batch.reads;
    yield batch;
  }
}

function analyse(detector: Detector, batch: ReadBatch): BatchDetection {
  return detector.analyse(batch.bases, batch.qualities, batch.offsets);
}

/** A pileup of `reads` simulated reads of the genome, analysed on this thread. */
function pileUp({ sample, index }: Genome, seed: number, reads = READS_30X): Pileup {
  const detector = new Detector(index);
  const pileup = new Pileup(index);
  for (const batch of batches(sample, seed, reads)) pileup.add(analyse(detector, batch).evidence);
  return pileup;
}

/** Calls that pass every threshold. */
const confirmed = (calls: VariantCall[]) => calls.filter((call) => call.status === 'CONFIRMED');

type Kind = 'SNV' | 'indel';

/** A variant in VCF convention, called or true. */
interface Allele {
  contig: string;
  position: number;
  ref: string;
  alt: string;
}

interface Tally {
  truth: number;
  called: number;
  truePositives: number;
}

const emptyTallies = (): Record<Kind, Tally> => ({
  SNV: { truth: 0, called: 0, truePositives: 0 },
  indel: { truth: 0, called: 0, truePositives: 0 },
});
const precision = (t: Tally) => t.truePositives / Math.max(t.called, 1);
const recall = (t: Tally) => t.truePositives / Math.max(t.truth, 1);
const describeTally = (t: Tally) =>
  `precision ${precision(t).toFixed(4)} recall ${recall(t).toFixed(4)} (${t.truth} true, ${t.called} called)`;

/** Confirmed calls scored against the truth, both left-normalised, by kind. */
function score(reference: Reference, truth: Allele[], calls: Allele[]): Record<Kind, Tally> {
  const sequences = new Map(reference.contigs.map((c) => [c.name, reference.sequence(c.name).toString('latin1')]));
  const key = (v: Allele) => {
    const n = normaliseVariant(sequences.get(v.contig) as string, v.position, v.ref, v.alt);
    const kind: Kind = n.ref.length === 1 && n.alt.length === 1 ? 'SNV' : 'indel';
    return { kind, key: `${v.contig}:${n.position}:${n.ref}>${n.alt}` };
  };
  const tallies = emptyTallies();
  const trueKeys = new Set<string>();
  for (const variant of truth) {
    const { kind, key: k } = key(variant);
    tallies[kind].truth += 1;
    trueKeys.add(k);
  }
  for (const call of calls) {
    const { kind, key: k } = key(call);
    tallies[kind].called += 1;
    if (trueKeys.has(k)) tallies[kind].truePositives += 1;
  }
  return tallies;
}

/** Posts a batch to the worker (buffers transferred) and waits for its detection. */
function analyseIn(worker: Worker, batch: ReadBatch): Promise<BatchDetection & { handle: number }> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(batch, [batch.bases.buffer, batch.qualities.buffer, batch.offsets.buffer]);
  });
}

describe('variant detection', () => {
  it('should call SNVs and indels at 30× with precision ≥ 0.99 and recall ≥ 0.98', async () => {
    const pooled = emptyTallies();
    for (const seed of [1, 2, 3]) {
      const g = await genome(seed);
      const calls = confirmed(await new VariantCaller().callAll(pileUp(g, seed)));
      const tallies = score(g.reference, g.sample.truth, calls);
      console.log(`seed ${seed}: SNV ${describeTally(tallies.SNV)} | indel ${describeTally(tallies.indel)}`);
      for (const kind of ['SNV', 'indel'] as const) {
        for (const field of ['truth', 'called', 'truePositives'] as const) pooled[kind][field] += tallies[kind][field];
      }
      const overall: Tally = {
        truth: tallies.SNV.truth + tallies.indel.truth,
        called: tallies.SNV.called + tallies.indel.called,
        truePositives: tallies.SNV.truePositives + tallies.indel.truePositives,
      };
      expect(precision(overall), `seed ${seed}`).toBeGreaterThanOrEqual(0.99);
      expect(recall(overall), `seed ${seed}`).toBeGreaterThanOrEqual(0.98);
    }
    console.log(`pooled: SNV ${describeTally(pooled.SNV)} | indel ${describeTally(pooled.indel)}`);
    for (const kind of ['SNV', 'indel'] as const) {
      expect(pooled[kind].truth, kind).toBeGreaterThan(kind === 'SNV' ? 300 : 50);
      expect(precision(pooled[kind]), kind).toBeGreaterThanOrEqual(0.99);
      expect(recall(pooled[kind]), kind).toBeGreaterThanOrEqual(0.98);
    }
  });

  it('should count reads, mapped reads, mutated reads and events per batch', async () => {
    const g = await genome(4);
    const [batch] = batches(g.sample, 4, 1000);
    const detection = analyse(new Detector(g.index), batch as ReadBatch);
    expect(detection.reads).toBe(1000);
    expect(detection.mappedReads).toBeGreaterThan(990);
    // 150 bp at an error rate of 0.002 and one variant per kbp: about a third
    // of the reads differ from the reference somewhere.
    expect(detection.mutatedReads).toBeGreaterThan(200);
    expect(detection.mutatedReads).toBeLessThan(600);
    expect(detection.mismatches).toBeGreaterThanOrEqual(detection.mutatedReads / 2);
    expect(detection.insertions + detection.deletions).toBeGreaterThan(0);
    expect(detection.evidence.byteOffset).toBe(0);
    expect(detection.evidence.buffer.byteLength).toBe(detection.evidence.byteLength);
  });
});

describe('the aligner index', () => {
  it('should describe its reference', async () => {
    const reference = Reference.random(50_000, 5, 'chrT');
    const index = await AlignerIndex.build(reference, { kmerLength: 21 });
    expect(index.contigs).toEqual([{ name: 'chrT', length: 50_000 }]);
    expect(index.totalLength).toBe(50_000);
    // The sequence itself and sampled seed tables: under 8 bytes a base.
    expect(index.memoryBytes).toBeGreaterThan(50_000);
    expect(index.memoryBytes).toBeLessThan(50_000 * 8);
    index.release();
  });

  it('should be shared with a worker thread by handle, giving the same calls as this thread', async () => {
    const g = await genome(6);
    const worker = new Worker(new URL('./fixtures/detect-worker.mjs', import.meta.url), {
      workerData: { handle: g.index.handle },
    });
    try {
      const detector = new Detector(g.index);
      const here = new Pileup(g.index);
      const there = new Pileup(g.index);
      for (const batch of batches(g.sample, 6, READS_30X)) {
        here.add(analyse(detector, batch).evidence);
        const detection = await analyseIn(worker, batch);
        expect(batch.bases.byteLength, 'batch transferred').toBe(0);
        expect(detection.handle).toBe(g.index.handle);
        there.add(detection.evidence);
      }
      const caller = new VariantCaller();
      const calls = await caller.callAll(here);
      expect(confirmed(calls).length).toBeGreaterThan(150);
      expect(await caller.callAll(there)).toEqual(calls);
      expect(there.reads).toBe(here.reads);
    } finally {
      await worker.terminate();
    }
  });

  it('should throw a clear error for an unknown or released handle', async () => {
    expect(() => AlignerIndex.fromHandle(987_654)).toThrow('handle: no aligner index has handle 987654');
    expect(() => AlignerIndex.fromHandle(-1)).toThrow('handle: must be a whole number');
    const g = await genome(7);
    const opened = AlignerIndex.fromHandle(g.index.handle);
    expect(opened.handle).toBe(g.index.handle);
    g.index.release();
    expect(() => AlignerIndex.fromHandle(g.index.handle)).toThrow(
      `the aligner index with handle ${g.index.handle} has been released`,
    );
    // Objects that hold the index keep working.
    const [batch] = batches(g.sample, 7, 100);
    expect(analyse(new Detector(opened), batch as ReadBatch).mappedReads).toBeGreaterThan(95);
    g.index.release();
  });

  it('should reject an invalid k-mer length', async () => {
    const reference = Reference.random(10_000, 8);
    await expect(AlignerIndex.build(reference, { kmerLength: 20 })).rejects.toThrow(
      'kmerLength: must be odd and between 11 and 31, got 20',
    );
    await expect(AlignerIndex.build(reference, { kmerLength: 33 })).rejects.toThrow(
      'kmerLength: must be odd and between 11 and 31, got 33',
    );
  });
});

describe('the detector', () => {
  it('should reject arrays that disagree with each other', async () => {
    const { index } = await genome(9);
    const detector = new Detector(index);
    const bases = Buffer.from('ACGTACGTAC');
    const qualities = Buffer.alloc(10, 'I');
    expect(() => detector.analyse(bases, qualities, new Uint32Array([0, 4, 12]))).toThrow(
      'read batch: the last offset is 12 but there are 10 bases',
    );
    expect(() => detector.analyse(bases, qualities, new Uint32Array([0, 6, 4, 10]))).toThrow(
      'read batch: offsets decrease at read 1',
    );
    expect(() => detector.analyse(bases, qualities.subarray(0, 9), new Uint32Array([0, 10]))).toThrow(
      'read batch: 10 bases but 9 qualities',
    );
    expect(() => detector.analyse(bases, qualities, new Uint32Array(0))).toThrow('read batch: offsets is empty');
    expect(detector.analyse(bases, qualities, new Uint32Array([0, 10])).reads).toBe(1);
  });

  it('should reject out-of-range options', async () => {
    const { index } = await genome(9);
    expect(() => new Detector(index, { minMappingQuality: -1 })).toThrow('minMappingQuality');
    expect(() => new Detector(index, { minBaseQuality: 1.5 })).toThrow('minBaseQuality');
  });
});

describe('the pileup', () => {
  it('should survive toBytes and fromBytes', async () => {
    const g = await genome(10);
    const pileup = pileUp(g, 10);
    const copy = Pileup.fromBytes(g.index, pileup.toBytes());
    const caller = new VariantCaller();
    expect(await caller.callAll(copy)).toEqual(await caller.callAll(pileup));
    expect(copy.reads).toBe(pileup.reads);
    for (const position of [1, 5_000, 123_456, REFERENCE_LENGTH]) {
      expect(copy.depth('random', position)).toBe(pileup.depth('random', position));
    }
    expect(pileup.depth('random', 100_000)).toBeGreaterThan(15);
    const alleles = ({ chunks, snvsSeenOnce, snvsSeenMore, indels }: Pileup['memory']) => [
      chunks,
      snvsSeenOnce,
      snvsSeenMore,
      indels,
    ];
    expect(alleles(copy.memory)).toEqual(alleles(pileup.memory));
  });

  it('should hold a few bytes per covered base, in chunks of 1,024 bases touched by reads', async () => {
    const g = await genome(14);
    const pileup = pileUp(g, 14);
    const { totalBytes, chunks, depthBytes, snvsSeenOnce, snvsSeenOnceBytes } = pileup.memory;
    const covered = pileup.depthSummary().breadth1x * REFERENCE_LENGTH;
    expect(chunks).toBe(Math.ceil(REFERENCE_LENGTH / 1_024));
    expect(depthBytes).toBeLessThan(totalBytes);
    expect(totalBytes / covered).toBeLessThan(8);
    // A sequencing error read once takes about four bytes.
    expect(snvsSeenOnceBytes / snvsSeenOnce).toBeLessThan(8);
  });

  it('should merge two half pileups into the whole', async () => {
    const g = await genome(11);
    const detector = new Detector(g.index);
    const whole = new Pileup(g.index);
    const [merged, other] = [new Pileup(g.index), new Pileup(g.index)];
    let even = true;
    for (const batch of batches(g.sample, 11, READS_30X, 1000)) {
      const { evidence } = analyse(detector, batch);
      whole.add(evidence);
      (even ? merged : other).add(evidence);
      even = !even;
    }
    expect(merged.depth('random', 100_000)).toBeLessThan(whole.depth('random', 100_000));
    merged.merge(other);
    const caller = new VariantCaller({ minDepth: 0, minAlleleFrequency: 0, minQuality: 0 });
    expect(await caller.callAll(merged)).toEqual(await caller.callAll(whole));
    expect(merged.reads).toBe(whole.reads);
    for (const position of [1, 77_777, 150_001, REFERENCE_LENGTH]) {
      expect(merged.depth('random', position)).toBe(whole.depth('random', position));
    }
  });

  it('should reject malformed evidence and bytes', async () => {
    const g = await genome(12);
    const pileup = new Pileup(g.index);
    expect(() => pileup.add(new Uint8Array([1, 2, 3]))).toThrow('evidence: malformed bytes (missing header HXEVID03)');
    const [batch] = batches(g.sample, 12, 100);
    const { evidence } = analyse(new Detector(g.index), batch as ReadBatch);
    expect(() => pileup.add(evidence.subarray(0, evidence.length - 1))).toThrow('evidence: malformed bytes');
    pileup.add(evidence);
    expect(pileup.reads).toBe(100);
    expect(() => Pileup.fromBytes(g.index, evidence)).toThrow('bytes: malformed bytes (missing header HXPILE05)');
  });

  it('should refuse pileups over another reference', async () => {
    const g = await genome(13);
    const otherIndex = await AlignerIndex.build(Reference.random(1000, 13));
    const pileup = new Pileup(g.index);
    expect(() => pileup.merge(new Pileup(otherIndex))).toThrow('other: is over another reference');
    expect(() => pileup.merge(pileup)).toThrow('other: is this pileup');
    expect(() => Pileup.fromBytes(otherIndex, pileup.toBytes())).toThrow('bytes: is over another reference');
    expect(() => pileup.depth('chr1', 1)).toThrow("contig: no contig named 'chr1'");
    expect(() => pileup.depth('random', 0)).toThrow('position: must be a whole number between 1 and 200000');
    otherIndex.release();
  });
});

describe('the variant caller', () => {
  it('should report a call once, then again only when its status changes or, confirmed, its depth grew', async () => {
    const g = await genome(14);
    const detector = new Detector(g.index);
    const pileup = new Pileup(g.index);
    // Eight reads to confirm (the default is 3): at 5× the first round leaves candidates.
    const caller = new VariantCaller({ minDepth: 8 });
    const key = (call: VariantCall) => `${call.contig}:${call.position}:${call.ref}>${call.alt}`;
    const reported = new Map<string, VariantCall>();
    const readsPerRound = Math.round(READS_30X / 6);
    let candidatesConfirmedLater = 0;
    for (let round = 0; round < 6; round++) {
      for (const batch of batches(g.sample, 1000 + round, readsPerRound)) pileup.add(analyse(detector, batch).evidence);
      const update = await caller.update(pileup);
      if (round === 0) expect(update.some((call) => call.status === 'CANDIDATE')).toBe(true);
      for (const call of update) {
        const earlier = reported.get(key(call));
        if (earlier?.status === call.status) {
          // A confirmed call is reported again once it is a quarter deeper at least.
          expect(call.status, key(call)).toBe('CONFIRMED');
          expect(call.depth, key(call)).toBeGreaterThanOrEqual(earlier.depth * 1.25);
        } else if (earlier?.status === 'CANDIDATE') candidatesConfirmedLater += 1;
        reported.set(key(call), call);
      }
      expect(await caller.update(pileup), 'nothing changed').toEqual([]);
    }
    expect(candidatesConfirmedLater).toBeGreaterThan(0);
    // Replaying the updates gives the status of every current call.
    const all = await caller.callAll(pileup);
    expect(confirmed(all).length).toBeGreaterThan(150);
    for (const call of all) expect(reported.get(key(call))?.status, key(call)).toBe(call.status);
  });

  it('should call a region given in 1-based inclusive coordinates', async () => {
    const g = await genome(15);
    const pileup = pileUp(g, 15);
    const caller = new VariantCaller();
    const all = await caller.callAll(pileup);
    const first = all[10] as VariantCall;
    expect(caller.callRegion(pileup, 'random', first.position, first.position)).toEqual(
      all.filter((call) => call.position === first.position),
    );
    const region = caller.callRegion(pileup, 'random', 50_001, 100_000);
    expect(region).toEqual(all.filter((call) => call.position >= 50_001 && call.position <= 100_000));
    expect(caller.callRegion(pileup, 'random', 1, 1e9)).toEqual(all);
    expect(() => caller.callRegion(pileup, 'random', 0, 10)).toThrow('start');
    expect(() => caller.callRegion(pileup, 'random', 10, 9)).toThrow('end');
    expect(() => caller.callRegion(pileup, 'chrX', 1, 10)).toThrow("no contig named 'chrX'");
    expect(() => new VariantCaller({ minAlleleFrequency: 2 })).toThrow('minAlleleFrequency');
  });

  it('should call genotype 1 when haploid, and confirm no allele that a minority of the reads show', async () => {
    const g = await genome(16);
    const pileup = pileUp(g, 16);
    const key = (call: VariantCall) => `${call.position}:${call.ref}>${call.alt}`;
    const diploid = confirmed(await new VariantCaller().callAll(pileup));
    const haploid = confirmed(await new VariantCaller({ ploidy: 1 }).callAll(pileup));
    expect(new Set(haploid.map((call) => call.genotype))).toEqual(new Set(['1']));
    const homozygous = diploid.filter((call) => call.genotype === '1/1').map(key);
    expect(haploid.map(key)).toEqual(expect.arrayContaining(homozygous));
    // The sample is diploid: its heterozygotes' reads are about half alternate, never one copy's all.
    const minorities = diploid.filter((call) => call.alleleFrequency < 0.4).map(key);
    expect(minorities.length).toBeGreaterThan(10);
    expect(haploid.filter((call) => minorities.includes(key(call)))).toEqual([]);
    expect(haploid.every((call) => call.alleleFrequency > 0.5)).toBe(true);
    expect(confirmed(await new VariantCaller({ ploidy: 2 }).callAll(pileup))).toEqual(diploid);
  });

  it('should refuse a ploidy other than 1 or 2, naming it', () => {
    for (const ploidy of [0, 3, 1.5]) {
      expect(() => new VariantCaller({ ploidy })).toThrow(`ploidy: must be 1 (haploid) or 2 (diploid), got ${ploidy}`);
    }
  });

  it('should call allele frequencies without genotypes in population mode, with strands and filters', async () => {
    const g = await genome(15);
    const pileup = pileUp(g, 15);
    const germline = await new VariantCaller().callAll(pileup);
    const population = await new VariantCaller({ mode: 'population' }).callAll(pileup);
    expect(germline.every((call) => call.genotype !== null)).toBe(true);
    expect(population.length).toBeGreaterThan(100);
    for (const call of [...germline, ...population]) {
      expect(call.forwardAltCount + call.reverseAltCount).toBe(call.altCount);
      expect(call.forwardRefCount + call.reverseRefCount).toBeLessThanOrEqual(call.depth - call.altCount);
    }
    for (const call of population) {
      expect(call.genotype).toBeNull();
      expect(call.status === 'CONFIRMED').toBe(call.filters.length === 0);
      expect(call.strandBias === null || call.strandBias >= 0).toBe(true);
    }
    // Every allele the germline caller confirms stands out of a population too.
    const passing = new Set(confirmed(population).map((call) => `${call.position}${call.ref}>${call.alt}`));
    const missed = confirmed(germline).filter((call) => !passing.has(`${call.position}${call.ref}>${call.alt}`));
    expect(missed.length).toBeLessThanOrEqual(confirmed(germline).length * 0.02);
    expect(() => new VariantCaller({ mode: 'pooled' as 'population' })).toThrow(
      "mode: must be 'germline' or 'population', got 'pooled'",
    );
  });
});
