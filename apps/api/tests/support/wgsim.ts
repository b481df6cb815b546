import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

/** A variant as a VCF site: 1-based position, indels with their anchor base before them. */
export interface Site {
  contig: string;
  position: number;
  ref: string;
  alt: string;
}

/** One variant wgsim planted in its haplotypes. */
export interface PlantedVariant extends Site {
  type: 'SNV' | 'INSERTION' | 'DELETION';
  /** wgsim's last column: `-` on both haplotypes, `+` on one. */
  zygosity: 'homozygous' | 'heterozygous';
}

/** True when Debian's samtools `wgsim` is on PATH. */
export function hasWgsim(): boolean {
  return spawnSync('wgsim', [], { encoding: 'utf8' }).stderr?.includes('short read simulator') ?? false;
}

/** Throws, naming the Debian package, unless `wgsim` runs: a test that needs it fails without it. */
export function requireWgsim(): void {
  if (!hasWgsim()) {
    throw new Error(
      'wgsim is not installed; it comes with Debian\'s samtools: "apt-get install samtools" (.ci/run does).',
    );
  }
}

/** A seeded random sequence over ACGT (mulberry32), so a reference is the same on every run. */
export function randomSequence(length: number, seed: number): string {
  let state = seed >>> 0;
  const bases: string[] = [];
  for (let index = 0; index < length; index += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bases.push('ACGT'[((t ^ (t >>> 14)) >>> 0) % 4] as string);
  }
  return bases.join('');
}

/** Writes `contigs` as FASTA, 60 bases a line. */
export async function writeFasta(path: string, contigs: Map<string, string>): Promise<void> {
  const lines: string[] = [];
  for (const [name, sequence] of contigs) {
    lines.push(`>${name}`);
    for (let start = 0; start < sequence.length; start += 60) lines.push(sequence.slice(start, start + 60));
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/** Runs `wgsim <args>`; resolves with what it prints on stdout (the planted variants). */
export function runWgsim(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('wgsim', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`wgsim exited ${code}:\n${stderr}`)),
    );
  });
}

// IUPAC codes by bit mask (A=1, C=2, G=4, T=8), as wgsim prints a heterozygous substitution.
const IUPAC = 'XACMGRSVTWYHKDBN';

function basesOf(code: string): string[] {
  const mask = IUPAC.indexOf(code);
  return mask <= 0 ? [code] : ['A', 'C', 'G', 'T'].filter((_, bit) => mask & (1 << bit));
}

/**
 * wgsim's printed truth as VCF sites. Its lines are `contig pos ref alt zygosity`: a substitution's
 * alt is a base, or for a heterozygous one the IUPAC code of both alleles; an insertion is
 * `- <inserted bases>` after `pos`; a deletion is one line `<base> -` for each deleted base,
 * so consecutive ones are joined.
 */
export function parseWgsimTruth(text: string, contigs: Map<string, string>): PlantedVariant[] {
  const planted: PlantedVariant[] = [];
  let deletion: PlantedVariant | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [contig = '', column, ref = '', alt = '', zygosityMark] = line.split('\t');
    const position = Number(column);
    const sequence = contigs.get(contig);
    if (!sequence) throw new Error(`wgsim printed an unknown contig: ${line}`);
    const zygosity = zygosityMark === '+' ? 'heterozygous' : 'homozygous';
    if (alt === '-') {
      const extends_ =
        deletion?.contig === contig &&
        deletion.zygosity === zygosity &&
        deletion.position + deletion.ref.length === position;
      if (deletion && extends_) {
        deletion.ref += ref;
        continue;
      }
      // The anchor is the base before the first deleted one.
      deletion = {
        contig,
        position: position - 1,
        ref: sequence[position - 2] + ref,
        alt: sequence[position - 2] as string,
        type: 'DELETION',
        zygosity,
      };
      planted.push(deletion);
      continue;
    }
    deletion = undefined;
    if (ref === '-') {
      const anchor = sequence[position - 1] as string;
      planted.push({ contig, position, ref: anchor, alt: anchor + alt, type: 'INSERTION', zygosity });
      continue;
    }
    for (const base of basesOf(alt).filter((base) => base !== ref)) {
      planted.push({ contig, position, ref, alt: base, type: 'SNV', zygosity });
    }
  }
  return planted;
}

/**
 * The leftmost equivalent of an indel (the usual VCF normalisation): in a repeat, an inserted or
 * deleted copy can be written at several positions; both sides are compared in this one form.
 */
export function leftAlign(site: Site, sequence: string): Site {
  let { position, ref, alt } = site;
  if (ref.length === alt.length) return site;
  for (;;) {
    if (ref.length > 0 && alt.length > 0 && ref.at(-1) === alt.at(-1)) {
      ref = ref.slice(0, -1);
      alt = alt.slice(0, -1);
    } else if ((ref.length === 0 || alt.length === 0) && position > 1) {
      const before = sequence[position - 2] as string;
      ref = before + ref;
      alt = before + alt;
      position -= 1;
    } else break;
  }
  while (ref.length > 1 && alt.length > 1 && ref[0] === alt[0]) {
    ref = ref.slice(1);
    alt = alt.slice(1);
    position += 1;
  }
  return { contig: site.contig, position, ref, alt };
}

/** `contig:position:ref:alt`, after {@link leftAlign}. */
export function siteKey(site: Site, contigs: Map<string, string>): string {
  const aligned = leftAlign(site, contigs.get(site.contig) ?? '');
  return `${aligned.contig}:${aligned.position}:${aligned.ref}:${aligned.alt}`;
}
