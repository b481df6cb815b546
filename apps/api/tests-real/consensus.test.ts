import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PreparedDataSet, t7454, tmvIseq } from '../bench/real/datasets.js';
import type { ExpectedEvent } from '../bench/real/events.js';
import {
  type ConsensusComparison,
  type Consensuses,
  compareConsensus,
  type Difference,
  formatComparison,
  runConsensuses,
} from './support/consensus-peers.js';

/** As ivar's default `-m`: N where fewer reads cover a base. */
const MIN_DEPTH = 10;
/** helix's depth counts a read only this many bases inside each end of its alignment (the pileup's SNV_MARGIN). */
const SNV_MARGIN = 3;
/** Differences of single bases or short indels each peer may show beside the explained ones. */
const MAX_BASE_DIFFERENCES = 3;

const BASE_KINDS = new Set(['SNV', 'ambiguity code', 'indel', 'homopolymer indel']);

/** The published fixed events applied to the reference (right to left): what the reads should spell. */
function publishedHaplotype(sequence: string, events: readonly ExpectedEvent[]): string {
  let haplotype = sequence;
  const fixed = events.filter(({ published, frequency }) => published && frequency === 1);
  for (const { start, ref, alt } of [...fixed].sort((a, b) => b.start - a.start)) {
    const end = start - 1 + ref.length;
    // A deletion across a circular origin also removes the contig's first bases.
    const wrapped = Math.max(0, end - sequence.length);
    haplotype = haplotype.slice(wrapped, start - 1) + alt + haplotype.slice(Math.min(end, haplotype.length));
  }
  return haplotype;
}

/** Whether a difference lies on a published event longer than a read's seed (a substitution or a large deletion). */
function onLongEvent(difference: Difference, events: readonly ExpectedEvent[], length: number): boolean {
  return events.some(({ start, ref, class: kind }) => {
    if (kind !== 'SUB' && kind !== 'LARGE_DEL') return false;
    const end = start + ref.length;
    const position = difference.referencePosition;
    const within = (at: number) => at >= start - 20 && at <= end + 20;
    return within(position) || within(position + length);
  });
}

function consensusAgainstPeers(
  name: string,
  prepare: (workDirectory: string) => Promise<PreparedDataSet>,
  bowtie2: 'end-to-end' | 'local',
) {
  describe(`helix analyze --consensus on ${name}, against bcftools consensus and ivar consensus`, () => {
    let directory: string;
    let dataSet: PreparedDataSet;
    let consensuses: Consensuses;
    const comparisons = new Map<string, ConsensusComparison[]>();

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'helix-real-consensus-'));
      dataSet = await prepare(directory);
      consensuses = await runConsensuses({
        referencePath: dataSet.referencePath,
        reads: dataSet.reads,
        circular: dataSet.contigs.filter(({ circular }) => circular).map((contig) => contig.name),
        bowtie2,
        minDepth: MIN_DEPTH,
        workDirectory: directory,
      });
      const published = new Map(
        dataSet.contigs.map(({ name: contig, sequence }) => [
          contig,
          publishedHaplotype(
            sequence,
            dataSet.expected.filter((event) => event.contig === contig),
          ),
        ]),
      );
      const lines: string[] = [];
      for (const [peer, sequences] of [
        ['bcftools', consensuses.bcftools],
        ['ivar', consensuses.ivar],
        ['breseq', published],
      ] as const) {
        const compared = dataSet.contigs.map(({ name: contig, sequence }) => {
          const helix = consensuses.helix.get(contig);
          const theirs = sequences.get(contig);
          if (!helix || !theirs) throw new Error(`no consensus of ${contig} from helix or ${peer}`);
          return compareConsensus(contig, sequence, helix, theirs);
        });
        comparisons.set(peer, compared);
        lines.push(...compared.map((comparison) => formatComparison(peer, comparison)));
      }
      console.log(`${name}, min depth ${MIN_DEPTH}:\n${lines.join('\n')}`);
    }, 600_000);

    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    const differences = (peer: string) => (comparisons.get(peer) ?? []).flatMap(({ differences: found }) => found);
    const report = () =>
      [...comparisons].flatMap(([peer, compared]) => compared.map((c) => formatComparison(peer, c))).join('\n');

    it("should equal breseq's published haplotype wherever helix's depth reaches the minimum", () => {
      // helix's consensus holds the published alleles (fixed ones) base for base; N is the only difference.
      for (const difference of differences('breseq')) {
        expect(difference.kind, report()).toBe('masked by helix');
      }
      for (const { equalBases, helixLength } of comparisons.get('breseq') ?? []) {
        expect(equalBases / helixLength, report()).toBeGreaterThan(0.995);
      }
    });

    for (const peer of ['bcftools', 'ivar']) {
      it(`should agree with ${peer} base for base but at mask edges, long events and a few bases`, () => {
        const found = differences(peer);
        for (const { equalBases, helixLength } of comparisons.get(peer) ?? []) {
          expect(equalBases / helixLength, report()).toBeGreaterThan(0.99);
        }
        for (const difference of found) {
          const length = Math.max(difference.helix.length, difference.peer.length);
          if (difference.kind === 'masked by helix') {
            // helix's depth stops SNV_MARGIN bases short of each read's end: its mask reaches a little further.
            expect(difference.helix.length, report()).toBeLessThanOrEqual(SNV_MARGIN);
          } else if (
            difference.kind === 'masked by the peer' ||
            difference.kind === 'masked by both, of other lengths'
          ) {
            // The peer's linear alignments leave a long event (T7's 330-bp substitution, the plasmid's
            // deletion across its origin) below the depth; helix applies it.
            expect(onLongEvent(difference, dataSet.expected, length), report()).toBe(true);
          } else {
            expect(BASE_KINDS.has(difference.kind), report()).toBe(true);
          }
        }
        expect(found.filter(({ kind }) => BASE_KINDS.has(kind)).length, report()).toBeLessThanOrEqual(
          MAX_BASE_DIFFERENCES,
        );
      });
    }
  });
}

consensusAgainstPeers('real Roche 454 reads of a T7-derived phage', t7454, 'local');
consensusAgainstPeers('real Illumina iSeq pairs of a circular plasmid', tmvIseq, 'end-to-end');
