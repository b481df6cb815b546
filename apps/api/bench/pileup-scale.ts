/**
 * Pileup and caller at scale: bytes the pileup holds per covered base at 5 Mbp and 100 Mbp (10×
 * and 30× of 150-bp reads with 0.5 % sequencing errors, a heterozygous SNV every 1,000 bases),
 * what the sequencing-error singletons among its alleles cost, and per live tick (a batch of
 * 20,000 reads, then `VariantCaller.update`, at twelve points of the run) the incremental update's time against a full rescan of
 * the same pileup (`callAll`, which counts and assesses every chunk) and the main thread's time
 * (event-loop time while the call ran: all of it when a build calls on the main thread).
 *
 * Evidence is made here in the bytes a detector sends (no alignment), so that a 100 Mbp genome
 * needs only its index. The same script runs against another build of the addon:
 *
 *   npx tsx bench/pileup-scale.ts                      (PILEUP_SIZES=5 for 5 Mbp only,
 *                                                        PILEUP_MODE=population for that mode)
 *   HELIX_NATIVE=/path/to/native/index.js npx tsx bench/pileup-scale.ts
 */
import { performance } from 'node:perf_hooks';

type Native = typeof import('@helix/native');
const native: Native = await import(process.env.HELIX_NATIVE ?? '@helix/native');
const { AlignerIndex, Pileup, Reference, VariantCaller } = native;

const READ_LENGTH = 150;
const ERROR_RATE = 0.005;
const INDEL_ERROR_RATE = 0.0001;
const VARIANT_SPACING = 1_000;
const BATCH_READS = 20_000;
const sizes = (process.env.PILEUP_SIZES ?? '5,100').split(',').map((mbp) => Number(mbp) * 1_000_000);
const mode = process.env.PILEUP_MODE === 'population' ? 'population' : 'germline';

/** A deterministic generator (xoshiro128**), so every build sees the same reads. */
function random(seed: number): () => number {
  const state = new Uint32Array([seed >>> 0 || 1, 0x9e3779b9, 0x243f6a88, 0xb7e15162]);
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  return () => {
    const result = Math.imul(rotl(Math.imul(state[1] as number, 5), 7), 9) >>> 0;
    const t = (state[1] as number) << 9;
    state[2] = (state[2] as number) ^ (state[0] as number);
    state[3] = (state[3] as number) ^ (state[1] as number);
    state[1] = (state[1] as number) ^ (state[2] as number);
    state[0] = (state[0] as number) ^ (state[3] as number);
    state[2] = (state[2] as number) ^ t;
    state[3] = rotl(state[3] as number, 11);
    return result / 4_294_967_296;
  };
}

/** Bases to the next event of probability `rate` per base (a geometric draw). */
const gap = (next: () => number, rate: number) => Math.floor(Math.log(1 - next()) / Math.log(1 - rate));

const BASES = [65, 67, 71, 84];

/** The evidence bytes (`HXEVID03`) of `reads` random reads over a `length`-base reference. */
function evidenceOf(reads: number, length: number, next: () => number): Uint8Array {
  const spans: number[] = [];
  const flags: number[] = [];
  const snvPositions: number[] = [];
  const snvBases: number[] = [];
  const snvQualities: number[] = [];
  const snvFlags: number[] = [];
  const indelPositions: number[] = [];
  for (let read = 0; read < reads; read += 1) {
    const start = Math.floor(next() * (length - READ_LENGTH));
    const reverse = next() < 0.5 ? 1 : 0;
    spans.push(start);
    flags.push(reverse);
    const snv = (offset: number, base: number) => {
      snvPositions.push(start + offset);
      snvBases.push(base);
      snvQualities.push(20 + Math.floor(next() * 20));
      snvFlags.push(reverse | (offset < 10 || offset >= READ_LENGTH - 10 ? 2 : 0));
    };
    // A heterozygous SNV every VARIANT_SPACING bases, on half the reads.
    const firstVariant = Math.ceil((start - 500) / VARIANT_SPACING) * VARIANT_SPACING + 500;
    for (let position = firstVariant; position < start + READ_LENGTH; position += VARIANT_SPACING) {
      if (next() < 0.5) snv(position - start, 84);
    }
    for (let offset = gap(next, ERROR_RATE); offset < READ_LENGTH; offset += 1 + gap(next, ERROR_RATE)) {
      snv(offset, BASES[Math.floor(next() * 4)] as number);
    }
    for (let offset = gap(next, INDEL_ERROR_RATE); offset < READ_LENGTH; offset += 1 + gap(next, INDEL_ERROR_RATE)) {
      indelPositions.push(start + offset);
    }
  }
  const arrays = [
    u32s(spans),
    u32s(spans.map((start) => start + READ_LENGTH)),
    bytes(flags),
    u32s(snvPositions),
    bytes(snvBases),
    bytes(snvQualities),
    bytes(snvPositions.map(() => 60)),
    bytes(snvFlags),
    u32s(indelPositions),
    u32s(indelPositions.map(() => 0xffff_ffff)),
    u32s(indelPositions.map(() => 0)),
    bytes(indelPositions.map(() => 30)),
    bytes(indelPositions.map(() => 60)),
    bytes([]),
    bytes([]),
  ];
  const out = new Uint8Array(16 + arrays.reduce((sum, array) => sum + array.length, 0));
  out.set(new TextEncoder().encode('HXEVID03'));
  new DataView(out.buffer).setBigUint64(8, BigInt(reads), true);
  let at = 16;
  for (const array of arrays) {
    out.set(array, at);
    at += array.length;
  }
  return out;
}

function u32s(values: number[]): Uint8Array {
  const out = new Uint8Array(8 + values.length * 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(values.length), true);
  for (const [index, value] of values.entries()) view.setUint32(8 + index * 4, value >>> 0, true);
  return out;
}

function bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(8 + values.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(values.length), true);
  out.set(values, 8);
  return out;
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(52)} ${value}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Main-thread milliseconds `work` took while it ran (event-loop time spent, not waited). */
async function mainThread<T>(work: () => Promise<T> | T): Promise<{ wallMs: number; mainMs: number; value: T }> {
  const before = performance.eventLoopUtilization();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const used = performance.eventLoopUtilization(before);
  return { wallMs, mainMs: used.active, value };
}

console.log(`# pileup and caller at scale (${READ_LENGTH}-bp reads, ${ERROR_RATE * 100} % errors, ${mode} calling)`);
for (const length of sizes) {
  const built = performance.now();
  const index = await AlignerIndex.build(Reference.random(length, 7, 'chr1'));
  line(`${length / 1e6} Mbp index built`, `${((performance.now() - built) / 1_000).toFixed(1)} s`);
  for (const depth of [10, 30]) {
    const next = random(length + depth);
    const pileup = new Pileup(index);
    const caller = new VariantCaller({ mode });
    const reads = Math.round((length * depth) / READ_LENGTH);
    const ticks: { updateMs: number; updateMainMs: number }[] = [];
    const rescans: number[] = [];
    const batches = Math.ceil(reads / BATCH_READS);
    // Twelve checkpoints: the caller catches up unmeasured, then one live tick (one batch) is timed.
    const checkpoints = new Set(Array.from({ length: 12 }, (_, k) => Math.floor(((k + 1) * batches) / 13)));
    const rssBefore = process.memoryUsage().rss;
    for (let batch = 0; batch < batches; batch += 1) {
      const batchReads = Math.min(BATCH_READS, reads - batch * BATCH_READS);
      if (checkpoints.has(batch)) {
        await caller.update(pileup);
        pileup.add(evidenceOf(batchReads, length, next));
        const update = await mainThread(() => caller.update(pileup));
        ticks.push({ updateMs: update.wallMs, updateMainMs: update.mainMs });
        if (ticks.length % 3 === 0) rescans.push((await mainThread(() => caller.callAll(pileup))).wallMs);
      } else {
        pileup.add(evidenceOf(batchReads, length, next));
      }
    }
    const label = `${length / 1e6} Mbp at ${depth}×`;
    const summary = pileup.depthSummary();
    const covered = summary.breadth1x * summary.positions;
    const memory = 'memory' in pileup ? pileup.memory : undefined;
    const rssGrown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    if (memory) {
      const perBase = (bytes: number) => `${(bytes / covered).toFixed(2)} B`;
      line(
        `${label}: pileup bytes per covered base`,
        `${perBase(memory.totalBytes)} (${(memory.totalBytes / 2 ** 20).toFixed(0)} MiB; RSS grew ${rssGrown.toFixed(0)} MiB)`,
      );
      line(`${label}:   depth events`, perBase(memory.depthBytes));
      line(
        `${label}:   SNVs one read showed (errors, mostly)`,
        `${perBase(memory.snvsSeenOnceBytes)}: ${(memory.snvsSeenOnce / 1e6).toFixed(2)} M alleles, ${(memory.snvsSeenOnceBytes / memory.snvsSeenOnce).toFixed(1)} B each`,
      );
      line(
        `${label}:   SNVs more reads showed`,
        `${perBase(memory.snvsSeenMoreBytes)}: ${(memory.snvsSeenMore / 1e6).toFixed(2)} M alleles`,
      );
    } else {
      line(
        `${label}: resident memory grown while piling up`,
        `${rssGrown.toFixed(0)} MiB (${((rssGrown * 2 ** 20) / covered).toFixed(2)} B per covered base)`,
      );
    }
    const updates = ticks.map((tick) => tick.updateMs);
    line(
      `${label}: update per tick (median of ${ticks.length})`,
      `${median(updates).toFixed(1)} ms wall, ${median(ticks.map((t) => t.updateMainMs)).toFixed(2)} ms on the main thread`,
    );
    line(
      `${label}: full rescan (callAll) per tick`,
      `${median(rescans).toFixed(1)} ms wall; incremental ${(median(rescans) / median(updates)).toFixed(2)}× faster`,
    );
  }
  index.release();
}
