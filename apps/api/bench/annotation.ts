/**
 * What annotation costs: `helix analyze` on the same 1 M reads (150 bp pairs, 5 Mbp reference
 * with 4,000 genes on both strands) with and without `--annotation`, alternating so that the
 * machine's drift falls on both sides; with `--db` too when DATABASE_URL is set (then the live
 * publisher annotates each call when first confirmed). Prints reads/s and the ratio of the best
 * and of the median runs, with the load average: on a shared machine one round says little.
 *
 *   npx tsx bench/annotation.ts [pairs] [rounds]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateToFiles } from '@helix/native';
import { scratchDatabase } from './scratch-database.js';

const pairs = Number(process.argv[2] ?? 500_000);
const rounds = Number(process.argv[3] ?? 5);
const GENOME = 5_000_000;
const GENE_SPACING = 1_250;
const GENE_LENGTH = 999;
const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));

const CONTIG = 'bench';

/** A small deterministic generator, so every run benchmarks the same genome. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  // 32-bit arithmetic: in doubles, state × 1103515245 loses its low bits and the sequence cycles
  // after a few thousand values, which made the genome a repeat that no mapper finds fast.
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' };

/** Starts of the genes: one every GENE_SPACING bases, strands alternating. */
function geneStarts(): number[] {
  const starts: number[] = [];
  for (let start = 101; start + GENE_LENGTH < GENOME; start += GENE_SPACING) starts.push(start);
  return starts;
}

/**
 * A random genome whose genes are ATG, sense codons and TAA (on the reverse strand reverse
 * complemented), so the annotator reads them without warnings: what is measured is annotation,
 * not 7,000 warnings about the internal stops of random CDSs.
 */
function genomeFasta(): string {
  const random = generator(11);
  const base = () => 'ACGT'[Math.floor(random() * 4)] as string;
  const bases = Array.from({ length: GENOME }, base);
  geneStarts().forEach((start, index) => {
    const codons = ['ATG'];
    while (codons.length < GENE_LENGTH / 3 - 1) {
      const codon = base() + base() + base();
      if (codon !== 'TAA' && codon !== 'TAG' && codon !== 'TGA') codons.push(codon);
    }
    codons.push('TAA');
    const cds = codons.join('');
    const strand =
      index % 2 === 0
        ? cds
        : [...cds]
            .reverse()
            .map((b) => COMPLEMENT[b] as string)
            .join('');
    bases.splice(start - 1, GENE_LENGTH, ...strand);
  });
  const sequence = bases.join('');
  return `>${CONTIG}\n${sequence.match(/.{1,60}/g)?.join('\n')}\n`;
}

/** GFF3 with a gene and its CDS every GENE_SPACING bases, strands alternating. */
function genesGff3(): string {
  const lines = ['##gff-version 3', `##sequence-region ${CONTIG} 1 ${GENOME}`];
  geneStarts().forEach((start, offset) => {
    const index = offset + 1;
    const end = start + GENE_LENGTH - 1;
    const strand = index % 2 === 0 ? '-' : '+';
    const id = `g${index}`;
    lines.push(
      `${CONTIG}\tbench\tgene\t${start}\t${end}\t.\t${strand}\t.\tID=gene-${id};Name=${id};locus_tag=B_${index}`,
      `${CONTIG}\tbench\tCDS\t${start}\t${end}\t.\t${strand}\t0\tID=cds-${id};Parent=gene-${id};product=protein ${index}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

/** Seconds `helix` takes with `args` (its `--db` in `databaseUrl`), and what it wrote to stderr. */
function timed(args: string[], databaseUrl: string | undefined): Promise<{ seconds: number; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env = databaseUrl ? { ...process.env, DATABASE_URL: databaseUrl } : process.env;
    const child = spawn(process.execPath, [helixBin, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve({ seconds: (performance.now() - started) / 1_000, stderr })
        : reject(new Error(`helix failed:\n${stderr}`)),
    );
  });
}

const directory = await mkdtemp(join(tmpdir(), 'helix-bench-annotation-'));
const file = (name: string) => join(directory, name);
// A database of the bench's own: rows left in a shared one make its clean-up land on random runs.
const database = process.env.DATABASE_URL ? await scratchDatabase() : undefined;
try {
  await writeFile(file('ref.fa'), genomeFasta());
  await simulateToFiles({
    reference: file('ref.fa'),
    reads: pairs,
    out: file('r1.fq'),
    out2: file('r2.fq'),
    mutationRate: 0.001,
    indelFraction: 0.15,
    errorRate: 0.002,
    seed: 11,
  });
  await writeFile(file('genes.gff3'), genesGff3());
  const reads = pairs * 2;
  const base = ['analyze', '--reference', file('ref.fa'), '--reads', file('r1.fq'), file('r2.fq')];
  const modes: { label: string; args: string[] }[] = [
    { label: 'without annotation', args: [...base, '--vcf', file('plain.vcf')] },
    { label: 'with --annotation', args: [...base, '--vcf', file('annotated.vcf'), '--annotation', file('genes.gff3')] },
  ];
  if (process.env.DATABASE_URL) {
    modes.push(
      { label: 'without annotation, --db', args: [...(modes[0]?.args ?? []), '--db'] },
      { label: 'with --annotation, --db', args: [...(modes[1]?.args ?? []), '--db'] },
    );
  }
  const times = new Map<string, number[]>(modes.map((mode) => [mode.label, []]));
  const warnings = new Map<string, number>();
  const loadBefore = loadavg()[0] ?? 0;
  for (let round = 0; round < rounds; round += 1) {
    // Each round in the other order, so that a change of load falls on both sides.
    for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
      const { seconds, stderr } = await timed(mode.args, database?.url);
      warnings.set(mode.label, stderr.split('\n').filter((line) => line.startsWith('warning:')).length);
      times.get(mode.label)?.push(seconds);
    }
  }
  const best = new Map([...times].map(([label, seconds]) => [label, Math.min(...seconds)]));
  const median = new Map(
    [...times].map(([label, seconds]) => [
      label,
      [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)] ?? 0,
    ]),
  );
  console.log(
    `# annotation cost: ${reads.toLocaleString('en-US')} reads, 5 Mbp, ${geneStarts().length.toLocaleString('en-US')} genes, best of ${rounds}; ` +
      `${warnings.get('with --annotation')} annotation warnings; load average ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}`,
  );
  for (const mode of modes) {
    const seconds = best.get(mode.label) as number;
    console.log(
      `${mode.label.padEnd(32)} ${seconds.toFixed(2)} s  ${Math.round(reads / seconds).toLocaleString('en-US')} reads/s`,
    );
  }
  // Each round's two runs are neighbours in time: the median of their ratios sees less of the
  // machine's drift than the ratio of two medians taken across all rounds.
  const paired = (plain: string, annotated: string) => {
    const [p, a] = [times.get(plain) ?? [], times.get(annotated) ?? []];
    const ratios = p.map((seconds, round) => seconds / (a[round] as number)).sort((x, y) => x - y);
    return ratios[Math.floor(ratios.length / 2)] ?? 0;
  };
  const ratio = (plain: string, annotated: string) =>
    `${((best.get(plain) as number) / (best.get(annotated) as number)).toFixed(3)} best, ` +
    `${((median.get(plain) as number) / (median.get(annotated) as number)).toFixed(3)} median, ` +
    `${paired(plain, annotated).toFixed(3)} median of the rounds' own ratios`;
  console.log(`ratio annotated / plain (reads/s)  ${ratio('without annotation', 'with --annotation')}`);
  if (process.env.DATABASE_URL) {
    console.log(`  with --db                        ${ratio('without annotation, --db', 'with --annotation, --db')}`);
  }
} finally {
  await database?.drop();
  await rm(directory, { recursive: true, force: true });
}
