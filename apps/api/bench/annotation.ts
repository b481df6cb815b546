/**
 * What annotation costs: `helix analyze` on the same 1 M reads (150 bp pairs, 5 Mbp reference
 * with 4,000 genes on both strands) with and without `--annotation`, alternating so that the
 * machine's drift falls on both sides; with `--db` too when DATABASE_URL is set (then the live
 * publisher annotates each call when first confirmed). Prints reads/s and the ratio.
 *
 *   npx tsx bench/annotation.ts [pairs]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateToFiles } from '@helix/native';

const pairs = Number(process.argv[2] ?? 500_000);
const rounds = 3;
const GENOME = 5_000_000;
const GENE_SPACING = 1_250;
const GENE_LENGTH = 999;
const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));

/** GFF3 with a gene and its CDS every GENE_SPACING bases, strands alternating. */
function genesGff3(contig: string): string {
  const lines = ['##gff-version 3', `##sequence-region ${contig} 1 ${GENOME}`];
  for (let start = 101, index = 1; start + GENE_LENGTH < GENOME; start += GENE_SPACING, index += 1) {
    const end = start + GENE_LENGTH - 1;
    const strand = index % 2 === 0 ? '-' : '+';
    const id = `g${index}`;
    lines.push(
      `${contig}\tbench\tgene\t${start}\t${end}\t.\t${strand}\t.\tID=gene-${id};Name=${id};locus_tag=B_${index}`,
      `${contig}\tbench\tCDS\t${start}\t${end}\t.\t${strand}\t0\tID=cds-${id};Parent=gene-${id};product=protein ${index}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function timed(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [helixBin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - started) / 1_000) : reject(new Error(`helix failed:\n${stderr}`)),
    );
  });
}

const directory = await mkdtemp(join(tmpdir(), 'helix-bench-annotation-'));
const file = (name: string) => join(directory, name);
try {
  await simulateToFiles({
    referenceLength: GENOME,
    referenceOut: file('ref.fa'),
    reads: pairs,
    out: file('r1.fq'),
    out2: file('r2.fq'),
    mutationRate: 0.001,
    indelFraction: 0.15,
    errorRate: 0.002,
    seed: 11,
  });
  await writeFile(file('genes.gff3'), genesGff3('random'));
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
  const best = new Map<string, number>();
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of modes) {
      const seconds = await timed(mode.args);
      best.set(mode.label, Math.min(best.get(mode.label) ?? Number.POSITIVE_INFINITY, seconds));
    }
  }
  console.log(
    `# annotation cost: ${reads.toLocaleString('en-US')} reads, 5 Mbp, ${Math.floor(GENOME / GENE_SPACING).toLocaleString('en-US')} genes, best of ${rounds}`,
  );
  for (const mode of modes) {
    const seconds = best.get(mode.label) as number;
    console.log(
      `${mode.label.padEnd(32)} ${seconds.toFixed(2)} s  ${Math.round(reads / seconds).toLocaleString('en-US')} reads/s`,
    );
  }
  const ratio = (plain: string, annotated: string) =>
    ((best.get(plain) as number) / (best.get(annotated) as number)).toFixed(3);
  console.log(`ratio annotated / plain (reads/s)  ${ratio('without annotation', 'with --annotation')}`);
  if (process.env.DATABASE_URL) {
    console.log(`  with --db                        ${ratio('without annotation, --db', 'with --annotation, --db')}`);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
