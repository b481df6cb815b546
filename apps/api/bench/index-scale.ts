/**
 * Aligner index at scale: bytes per reference base and build seconds at 5 Mbp and 100 Mbp of
 * simulated reference and 1 Gbp of random sequence, cold (built and saved as `.hix`) and mapped
 * (reopened from the `.hix`), beside `minimap2 -x sr -t 2 -d` on the same FASTA in the same run;
 * then `helix analyze` at 5 Mbp and 100 Mbp with reads for 10× depth (3.3 M pairs of 150 bp at
 * 100 Mbp), the first run (building its index) and the next (mapping it): reads/s and peak
 * resident memory against the 1 GB target at 100 Mbp, beside
 * `minimap2 -x sr -t 2 -a` mapping the same reads, so what the genome's size costs any mapper is
 * seen apart from what it costs helix; and at 1 Gbp a shorter run's peak memory against 8 GB. Each
 * build runs in a process of its own (`bench/index-open.ts`) so its peak memory is its own.
 *
 *   npx tsx bench/index-scale.ts            (INDEX_SCALE_SIZES=5e6,1e8 to skip the 1 Gbp one;
 *                                            INDEX_SCALE_DEPTH depth, default 10, or
 *                                            INDEX_SCALE_PAIRS read pairs; INDEX_SCALE_GBP_PAIRS
 *                                            read pairs at 1 Gbp, default 50,000)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateToFiles } from '@helix/native';

const sizes = (process.env.INDEX_SCALE_SIZES ?? '5e6,1e8,1e9').split(',').map(Number);
const depth = Number(process.env.INDEX_SCALE_DEPTH ?? 10);
/** Read pairs of 2 × 150 bp for `depth` over `size` bases, unless INDEX_SCALE_PAIRS sets them. */
const analyzePairs = (size: number) =>
  process.env.INDEX_SCALE_PAIRS ? Number(process.env.INDEX_SCALE_PAIRS) : Math.round((size * depth) / 300);
const gbpPairs = Number(process.env.INDEX_SCALE_GBP_PAIRS ?? 50_000);
/** Peak resident memory `helix analyze` is allowed (issue 19): 1 GB at 100 Mbp, 8 GB at 1 Gbp. */
const memoryTarget = (size: number) => (size >= 1e9 ? 8e9 : size >= 1e8 ? 1e9 : undefined);
const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));
const indexOpen = fileURLToPath(new URL('./index-open.ts', import.meta.url));
const hasMinimap2 = spawnSync('minimap2', ['--version'], { stdio: 'ignore' }).status === 0;

function line(label: string, value: string): void {
  console.log(`${label.padEnd(50)} ${value}`);
}

const perBase = (bytes: number, bases: number) => `${(bytes / bases).toFixed(2)} B/base`;

/** Peak memory in MiB, with the target it is held to when there is one. */
function peak(bytes: number, target: number | undefined): string {
  const mib = `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  if (target === undefined) return mib;
  return `${mib} (target ≤ ${target / 1e9} GB: ${bytes <= target ? 'met' : 'NOT met'})`;
}

/** Runs `command` under `/usr/bin/time -v`: wall seconds, peak resident memory in bytes, stdout. */
function measured(command: string, args: string[]): Promise<{ seconds: number; peakBytes: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1_000;
      const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (code !== 0 || !peak) reject(new Error(`${command} failed:\n${stderr}`));
      else resolve({ seconds, peakBytes: Number(peak[1]) * 1_024, stdout });
    });
  });
}

/** What `bench/index-open.ts` reports of one build. */
interface IndexOpened {
  seconds: number;
  memoryBytes: number;
  mapped: boolean;
  peakBytes: number;
}

/** Builds (or maps) the index of `fasta` in a child process: build seconds, memory, its peak memory. */
async function openIndex(fasta: string): Promise<IndexOpened> {
  const child = await measured(process.execPath, ['--import', 'tsx', indexOpen, fasta]);
  const opened = JSON.parse(child.stdout) as Omit<IndexOpened, 'peakBytes'>;
  return { ...opened, peakBytes: child.peakBytes };
}

const directory = await mkdtemp(join(tmpdir(), 'helix-index-scale-'));
const file = (name: string) => join(directory, name);
try {
  for (const size of sizes) {
    const label = size >= 1e9 ? `${size / 1e9} Gbp random` : `${size / 1e6} Mbp simulated`;
    const fasta = file(`ref-${size}.fa`);
    const pairs = size >= 1e9 ? gbpPairs : analyzePairs(size);
    const reads = [file(`r1-${size}.fq`), file(`r2-${size}.fq`)];
    await simulateToFiles({
      referenceLength: size,
      referenceOut: fasta,
      reads: pairs,
      out: reads[0] as string,
      out2: reads[1],
      seed: 7,
    });
    console.log(`# ${label} reference`);
    const cold = await openIndex(fasta);
    const hix = await stat(`${fasta}.hix`);
    line('helix index, cold build + save', `${cold.seconds.toFixed(2)} s`);
    line('  index memory', perBase(cold.memoryBytes, size));
    line('  .hix file', perBase(hix.size, size));
    line('  process peak (with the reference)', perBase(cold.peakBytes, size));
    const mapped = await openIndex(fasta);
    if (!mapped.mapped) throw new Error('the saved index was not used');
    line('helix index, mapped reopen', `${mapped.seconds.toFixed(2)} s`);
    line('  process peak (with the reference)', perBase(mapped.peakBytes, size));
    let minimap2ReadsPerSecond: number | undefined;
    if (hasMinimap2) {
      const minimap2 = await measured('minimap2', ['-x', 'sr', '-t', '2', '-d', file('ref.mmi'), fasta]);
      const mmi = await stat(file('ref.mmi'));
      line('minimap2 -x sr -t 2 -d', `${minimap2.seconds.toFixed(2)} s`);
      line('  .mmi file', perBase(mmi.size, size));
      line('  peak resident memory', perBase(minimap2.peakBytes, size));
      line('  helix / minimap2 build seconds', (cold.seconds / minimap2.seconds).toFixed(2));
      line('  helix / minimap2 file bytes', (hix.size / mmi.size).toFixed(2));
      if (size < 1e9) {
        const mapping = await measured('minimap2', [
          '-x',
          'sr',
          '-t',
          '2',
          '-a',
          '-o',
          '/dev/null',
          file('ref.mmi'),
          ...reads,
        ]);
        minimap2ReadsPerSecond = (pairs * 2) / mapping.seconds;
        line(`minimap2 -x sr -t 2 -a, ${(pairs * 2).toLocaleString('en-US')} reads`, `${mapping.seconds.toFixed(2)} s`);
        line('  reads/s (mapping only, index loaded)', Math.round(minimap2ReadsPerSecond).toLocaleString('en-US'));
        line('  peak resident memory', peak(mapping.peakBytes, undefined));
      }
      await rm(file('ref.mmi'));
    } else {
      line('minimap2', 'not installed: no peer figures');
    }
    const target = memoryTarget(size);
    // In a fresh index directory a run builds and saves the index, as a run's first does; without
    // one it maps the `.hix` saved beside the reference above, as the next run does.
    const analyze = (indexDir: string | undefined) =>
      measured('/usr/bin/env', [
        ...(indexDir ? [`HELIX_INDEX_DIR=${indexDir}`] : ['-u', 'HELIX_INDEX_DIR']),
        process.execPath,
        helixBin,
        'analyze',
        '--reference',
        fasta,
        '--reads',
        ...reads,
        '--vcf',
        file('calls.vcf'),
      ]);
    const readCount = `${(pairs * 2).toLocaleString('en-US')} reads (${((pairs * 300) / size).toFixed(1)}×)`;
    if (size < 1e9) {
      const first = await analyze(file(`indexes-${size}`));
      line(`helix analyze, ${readCount}, first run`, `${first.seconds.toFixed(2)} s (builds the index)`);
      line('  peak resident memory', peak(first.peakBytes, target));
    }
    const next = await analyze(undefined);
    const readsPerSecond = (pairs * 2) / next.seconds;
    line(
      `helix analyze, ${readCount}${size < 1e9 ? ', next run' : ''}`,
      `${next.seconds.toFixed(2)} s (maps the index)`,
    );
    line('  reads/s (with reading the reference)', Math.round(readsPerSecond).toLocaleString('en-US'));
    if (minimap2ReadsPerSecond) {
      line('  helix / minimap2 reads/s', (readsPerSecond / minimap2ReadsPerSecond).toFixed(2));
    }
    line('  peak resident memory', peak(next.peakBytes, target));
    line(
      '  of which the index',
      `${(cold.memoryBytes / 2 ** 20).toFixed(0)} MiB (${((100 * cold.memoryBytes) / next.peakBytes).toFixed(0)} %)`,
    );
    await rm(file(`indexes-${size}`), { recursive: true, force: true });
    await Promise.all(reads.map((path) => rm(path)));
    await rm(fasta);
    await rm(`${fasta}.hix`);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
