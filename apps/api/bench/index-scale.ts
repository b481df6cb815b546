/**
 * Aligner index at scale: bytes per reference base and build seconds at 5 Mbp and 100 Mbp of
 * simulated reference and 1 Gbp of random sequence, cold (built and saved as `.hix`) and mapped
 * (reopened from the `.hix`), beside `minimap2 -x sr -t 2 -d` on the same FASTA in the same run;
 * then `helix analyze` at 100 Mbp: reads/s and peak resident memory, with the index's share. Each
 * build runs in a process of its own (`bench/index-open.ts`) so its peak memory is its own.
 *
 *   npx tsx bench/index-scale.ts            (INDEX_SCALE_SIZES=5e6,1e8 to skip the 1 Gbp one)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateToFiles } from '@helix/native';

const sizes = (process.env.INDEX_SCALE_SIZES ?? '5e6,1e8,1e9').split(',').map(Number);
const analyzePairs = Number(process.env.INDEX_SCALE_PAIRS ?? 250_000);
const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));
const indexOpen = fileURLToPath(new URL('./index-open.ts', import.meta.url));
const hasMinimap2 = spawnSync('minimap2', ['--version'], { stdio: 'ignore' }).status === 0;

function line(label: string, value: string): void {
  console.log(`${label.padEnd(40)} ${value}`);
}

const perBase = (bytes: number, bases: number) => `${(bytes / bases).toFixed(2)} B/base`;

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
    const withReads = size === 1e8;
    await simulateToFiles({
      referenceLength: size,
      referenceOut: fasta,
      reads: withReads ? analyzePairs : 0,
      out: file(`r1-${size}.fq`),
      out2: withReads ? file(`r2-${size}.fq`) : undefined,
      seed: 7,
    });
    console.log(`# ${label} reference`);
    const cold = await openIndex(fasta);
    const hix = await stat(`${fasta}.hix`);
    line('helix index, cold build + save', `${cold.seconds.toFixed(2)} s`);
    line('  index memory', perBase(cold.memoryBytes, size));
    line('  .hix file', perBase(hix.size, size));
    line('  process peak (with the reference)', perBase(cold.peakBytes, size));
    const indexBytes = cold.memoryBytes;
    const mapped = await openIndex(fasta);
    if (!mapped.mapped) throw new Error('the saved index was not used');
    line('helix index, mapped reopen', `${mapped.seconds.toFixed(2)} s`);
    line('  process peak (with the reference)', perBase(mapped.peakBytes, size));
    if (hasMinimap2) {
      const minimap2 = await measured('minimap2', ['-x', 'sr', '-t', '2', '-d', file('ref.mmi'), fasta]);
      const mmi = await stat(file('ref.mmi'));
      line('minimap2 -x sr -t 2 -d', `${minimap2.seconds.toFixed(2)} s`);
      line('  .mmi file', perBase(mmi.size, size));
      line('  peak resident memory', perBase(minimap2.peakBytes, size));
      line('  helix / minimap2 build seconds', (cold.seconds / minimap2.seconds).toFixed(2));
      line('  helix / minimap2 file bytes', (hix.size / mmi.size).toFixed(2));
      await rm(file('ref.mmi'));
    } else {
      line('minimap2', 'not installed: no peer figures');
    }
    if (withReads) {
      const args = ['analyze', '--reference', fasta, '--reads', file(`r1-${size}.fq`), file(`r2-${size}.fq`)];
      // The .hix exists from above: this run maps it, as a live run does the second time.
      const analyze = await measured(process.execPath, [helixBin, ...args, '--vcf', file('calls.vcf')]);
      line(`helix analyze, ${(analyzePairs * 2).toLocaleString('en-US')} reads`, `${analyze.seconds.toFixed(2)} s`);
      line('  reads/s', Math.round((analyzePairs * 2) / analyze.seconds).toLocaleString('en-US'));
      line('  peak resident memory', `${(analyze.peakBytes / 2 ** 20).toFixed(0)} MiB`);
      line(
        '  of which the index',
        `${(indexBytes / 2 ** 20).toFixed(0)} MiB (${((100 * indexBytes) / analyze.peakBytes).toFixed(0)} %)`,
      );
    }
    await rm(fasta);
    await rm(`${fasta}.hix`);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
