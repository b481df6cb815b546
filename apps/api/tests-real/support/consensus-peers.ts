import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CORES, HELIX_BIN } from '../../bench/real/config.js';
import { quote, timedShell } from '../../bench/real/run.js';
import { diffSequences, type Hunk, mapPosition } from './sequence-diff.js';

/** What the consensus callers are given: a faidx-indexed FASTA reference and the reads. */
export interface ConsensusInput {
  referencePath: string;
  reads: string[];
  /** Contigs helix is told are circular (the peers take no such flag). */
  circular: string[];
  /** bowtie2's mode for the peers' alignments (`--local` for 454 reads, whose ends are noisy). */
  bowtie2: 'end-to-end' | 'local';
  minDepth: number;
  workDirectory: string;
}

/** Each tool's consensus, by contig. */
export interface Consensuses {
  helix: Map<string, string>;
  bcftools: Map<string, string>;
  ivar: Map<string, string>;
}

/** Reads FASTA records' sequences in order (upper case), named by the first word of each header. */
export async function readFastaSequences(path: string): Promise<{ name: string; sequence: string }[]> {
  const records: { name: string; sequence: string[] }[] = [];
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line.startsWith('>')) records.push({ name: line.slice(1).split(/\s/)[0] ?? '', sequence: [] });
    else if (line.trim() !== '') records.at(-1)?.sequence.push(line.trim().toUpperCase());
  }
  return records.map(({ name, sequence }) => ({ name, sequence: sequence.join('') }));
}

/**
 * `helix analyze --consensus`; and on bowtie2's alignments of the same reads, `bcftools
 * consensus` (calls of `bcftools mpileup | bcftools call -mv --ploidy 1`, masked where `samtools
 * depth -a` is below the minimum depth) and `ivar consensus` (`samtools mpileup -aa -A -d 0 -Q 0
 * | ivar consensus -m MIN -t 0.5 -n N`).
 */
export async function runConsensuses(input: ConsensusInput): Promise<Consensuses> {
  const file = (name: string) => join(input.workDirectory, name);
  const ref = quote(input.referencePath);
  const min = String(input.minDepth);
  await timedShell(
    [process.execPath, HELIX_BIN, 'analyze', '--reference', input.referencePath, '--reads', ...input.reads]
      .concat(input.circular.length > 0 ? ['--circular', input.circular.join(',')] : [])
      .concat(['--ploidy', '1', '--min-depth', min, '--threads', String(CORES)])
      .concat(['--vcf', file('helix.vcf'), '--consensus', file('helix.fa')])
      .map(quote)
      .join(' '),
  );
  const index = file('bowtie2-index');
  await timedShell(`bowtie2-build --threads ${CORES} ${ref} ${quote(index)} >/dev/null 2>&1`);
  const reads =
    input.reads.length === 2
      ? `-1 ${quote(input.reads[0] as string)} -2 ${quote(input.reads[1] as string)}`
      : `-U ${quote(input.reads[0] as string)}`;
  const flags = input.bowtie2 === 'local' ? '--very-sensitive --local' : '--very-sensitive';
  const bam = quote(file('peers.bam'));
  await timedShell(
    `bowtie2 -p ${CORES} ${flags} -x ${quote(index)} ${reads} 2>/dev/null | samtools sort -o ${bam} - 2>/dev/null && samtools index ${bam}`,
  );
  const calls = quote(file('bcftools.vcf.gz'));
  await timedShell(
    `bcftools mpileup -Ou -f ${ref} ${bam} 2>/dev/null | bcftools call -mv --ploidy 1 -Oz -o ${calls} 2>/dev/null && bcftools index ${calls}`,
  );
  await timedShell(
    `samtools depth -a ${bam} | awk -v min=${min} '$3 < min { print $1 "\\t" $2 - 1 "\\t" $2 }' > ${quote(file('mask.bed'))}`,
  );
  await timedShell(
    `bcftools consensus -f ${ref} -m ${quote(file('mask.bed'))} ${calls} > ${quote(file('bcftools.fa'))} 2>/dev/null`,
  );
  await timedShell(
    `cd ${quote(input.workDirectory)} && samtools mpileup -aa -A -d 0 -Q 0 ${bam} 2>/dev/null | ` +
      `ivar consensus -p ivar -m ${min} -t 0.5 -n N >/dev/null 2>&1`,
  );
  const byContig = (records: { name: string; sequence: string }[]) =>
    new Map(records.map(({ name, sequence }) => [name, sequence]));
  // helix names records SAMPLE/CONTIG; ivar writes one record for a one-contig reference.
  const helix = (await readFastaSequences(file('helix.fa'))).map(({ name, sequence }) => ({
    name: name.slice(name.indexOf('/') + 1),
    sequence,
  }));
  const contigs = helix.map(({ name }) => name);
  const ivar = await readFastaSequences(file('ivar.fa'));
  if (ivar.length !== contigs.length)
    throw new Error(`ivar wrote ${ivar.length} records for ${contigs.length} contigs`);
  return {
    helix: byContig(helix),
    bcftools: byContig(await readFastaSequences(file('bcftools.fa'))),
    ivar: byContig(ivar.map(({ sequence }, index) => ({ name: contigs[index] as string, sequence }))),
  };
}

/** What kind of difference a hunk is, helix's side against the peer's. */
export type DifferenceKind =
  | 'masked by the peer'
  | 'masked by helix'
  | 'masked by both, of other lengths'
  | 'ambiguity code'
  | 'SNV'
  | 'homopolymer indel'
  | 'indel'
  | 'replacement';

/** One difference between helix's consensus and a peer's, where it lies on the reference. */
export interface Difference {
  kind: DifferenceKind;
  /** 1-based position on the reference of the difference's first base (or of the base before an insertion). */
  referencePosition: number;
  helix: string;
  peer: string;
}

/** The comparison of helix's consensus with a peer's over one contig. */
export interface ConsensusComparison {
  contig: string;
  /** Bases lined up as equal, of helix's consensus length. */
  equalBases: number;
  helixLength: number;
  differences: Difference[];
}

function kindOf(helix: string, peer: string, context: string): DifferenceKind {
  const [helixN, peerN] = [helix.includes('N'), peer.includes('N')];
  if (helixN && peerN) return 'masked by both, of other lengths';
  if (peerN) return 'masked by the peer';
  if (helixN) return 'masked by helix';
  if (helix.length === 1 && peer.length === 1) return /[ACGT]/.test(peer) ? 'SNV' : 'ambiguity code';
  if (helix.length === 0 || peer.length === 0) {
    const indel = helix || peer;
    const base = indel[0] as string;
    return indel === base.repeat(indel.length) && context.includes(base) ? 'homopolymer indel' : 'indel';
  }
  return 'replacement';
}

/** Lines helix's consensus of a contig up with a peer's (and with the reference, for positions) and sorts the differences. */
export function compareConsensus(contig: string, reference: string, helix: string, peer: string): ConsensusComparison {
  const diff = diffSequences(helix, peer);
  const onReference = diffSequences(helix, reference);
  const differences = diff.hunks.map((hunk: Hunk) => {
    const helixBases = helix.slice(hunk.aStart, hunk.aEnd);
    const peerBases = peer.slice(hunk.bStart, hunk.bEnd);
    // The bases either side of an indel, as they read in helix's consensus.
    const context = `${helix[hunk.aStart - 1] ?? ''}${helix[hunk.aEnd] ?? ''}`;
    const anchor = Math.max(0, hunk.aStart - (hunk.aStart === hunk.aEnd ? 1 : 0));
    return {
      kind: kindOf(helixBases, peerBases, context),
      referencePosition: mapPosition(onReference, anchor) + 1,
      helix: helixBases,
      peer: peerBases,
    };
  });
  return { contig, equalBases: diff.equalBases, helixLength: helix.length, differences };
}

/** The comparison as printed lines: bases equal, then each kind of difference with where it lies. */
export function formatComparison(peer: string, comparison: ConsensusComparison): string {
  const { contig, equalBases, helixLength, differences } = comparison;
  const lines = [
    `${peer} on ${contig}: ${equalBases.toLocaleString('en-US')} of ${helixLength.toLocaleString('en-US')} bases of helix's consensus equal ` +
      `(${((100 * equalBases) / helixLength).toFixed(3)} %), ${differences.length} differences`,
  ];
  const short = (bases: string) => (bases.length > 24 ? `${bases.slice(0, 10)}…(${bases.length} bp)` : bases || '-');
  for (const kind of new Set(differences.map((difference) => difference.kind))) {
    const ofKind = differences.filter((difference) => difference.kind === kind);
    const where = ofKind.map((d) => `${d.referencePosition} ${short(d.helix)}/${short(d.peer)}`).join(', ');
    lines.push(`  ${kind}: ${ofKind.length} (helix/${peer}: ${where})`);
  }
  return lines.join('\n');
}
