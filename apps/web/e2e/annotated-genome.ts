import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_DIR } from './harness';

const run = promisify(execFile);

/** Codons without a stop, so a reading frame of them translates to the end. */
const SENSE_CODONS = (() => {
  const bases = 'ACGT';
  const codons: string[] = [];
  for (const a of bases) for (const b of bases) for (const c of bases) codons.push(a + b + c);
  return codons.filter((codon) => codon !== 'TAA' && codon !== 'TAG' && codon !== 'TGA');
})();

/** A small seeded generator, so the genome is the same every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** What {@link writeAnnotatedRun} wrote, and the change the reads carry. */
export interface AnnotatedRun {
  /** Inside the input directory, as startPipeline takes them. */
  referencePath: string;
  readsPath: string;
  gene: string;
  /** The reads' one-letter amino-acid change in `gene`, e.g. "D100G". */
  aminoAcidChange: string;
}

/**
 * Writes a 4 kbp genome with one gene (`helA`, 1.5 kbp, forward strand) as GenBank into
 * `inputDir`, and reads from a copy of it whose codon 100 is GGT instead of GAT (D100G),
 * simulated by `helix simulate` (error rate 0.1 %, no further mutations).
 */
export async function writeAnnotatedRun(inputDir: string): Promise<AnnotatedRun> {
  const random = seeded(17);
  const base = () => 'ACGT'[Math.floor(random() * 4)] as string;
  const geneStart = 101;
  const codons = 500;
  const frame = ['ATG'];
  for (let index = 1; index < codons - 1; index += 1) {
    frame.push(SENSE_CODONS[Math.floor(random() * SENSE_CODONS.length)] as string);
  }
  frame.push('TAA');
  frame[99] = 'GAT';
  const before = Array.from({ length: geneStart - 1 }, base).join('');
  const after = Array.from({ length: 4_000 - (geneStart - 1) - codons * 3 }, base).join('');
  const reference = before + frame.join('') + after;
  const mutated = `${reference.slice(0, geneStart - 1 + 99 * 3 + 1)}G${reference.slice(geneStart - 1 + 99 * 3 + 2)}`;
  const geneEnd = geneStart + codons * 3 - 1;
  const origin: string[] = [];
  const lower = reference.toLowerCase();
  for (let offset = 0; offset < lower.length; offset += 60) {
    origin.push(
      `${String(offset + 1).padStart(9)} ${(lower.slice(offset, offset + 60).match(/.{1,10}/g) ?? []).join(' ')}`,
    );
  }
  const genbank = [
    `LOCUS       helix_e2e       ${String(reference.length).padStart(11)} bp    DNA     linear   BCT 01-JAN-2026`,
    'DEFINITION  Dashboard test genome.',
    'ACCESSION   helix_e2e',
    'FEATURES             Location/Qualifiers',
    `     source          1..${reference.length}`,
    `     gene            ${geneStart}..${geneEnd}`,
    '                     /gene="helA"',
    '                     /locus_tag="HE_0001"',
    `     CDS             ${geneStart}..${geneEnd}`,
    '                     /gene="helA"',
    '                     /locus_tag="HE_0001"',
    '                     /transl_table=11',
    '                     /product="test helicase"',
    'ORIGIN',
    ...origin,
    '//',
  ].join('\n');
  await writeFile(join(inputDir, 'helix-e2e.gbk'), `${genbank}\n`);
  const mutatedPath = join(inputDir, 'helix-e2e-mutated.fa');
  await writeFile(mutatedPath, `>helix_e2e\n${mutated}\n`);
  await run(process.execPath, [
    join(REPO_DIR, 'apps', 'api', 'bin', 'helix.js'),
    'simulate',
    '--reference',
    mutatedPath,
    '--reads',
    '4000',
    '--read-length',
    '150',
    '--mutation-rate',
    '0',
    '--error-rate',
    '0.001',
    '--seed',
    '5',
    '--out',
    join(inputDir, 'helix-e2e.fq'),
  ]);
  return { referencePath: 'helix-e2e.gbk', readsPath: 'helix-e2e.fq', gene: 'helA', aminoAcidChange: 'D100G' };
}
