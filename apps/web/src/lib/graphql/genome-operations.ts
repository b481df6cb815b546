import { graphql, type ResultOf } from './graphql';

/** What the genome track needs of its run: the contigs to pick from and the samples with their breadth. */
export const GenomeRunQuery = graphql(`
  query GenomeRun($id: ID!) {
    run(id: $id) { id status referenceName
      contigs { name length }
      samples { name meanDepth breadth1x breadth10x breadth100x lowCoverageRegions(first: 100) { contig from to } } }
  }
`);

/** The run as the genome track reads it. */
export type GenomeRun = NonNullable<ResultOf<typeof GenomeRunQuery>['run']>;
/** One sample as the genome track reads it. */
export type GenomeSample = GenomeRun['samples'][number];

/** Depth along a stretch of one contig of one sample, binned. */
export const CoverageQuery = graphql(`
  query Coverage($run: ID!, $sample: String!, $contig: String!, $from: Int!, $to: Int!, $bins: Int!) {
    coverage(runId: $run, sample: $sample, contig: $contig, from: $from, to: $to, bins: $bins) {
      contig from to binSize depths maxDepths
    }
  }
`);

/** The confirmed calls in a stretch of one contig of one sample, most frequent first (at most 100). */
export const TrackVariantsQuery = graphql(`
  query TrackVariants($run: ID!, $sample: String!, $contig: String!, $from: Int!, $to: Int!) {
    variants(
      filter: { runId: $run, sample: $sample, contig: $contig, positionFrom: $from, positionTo: $to, status: CONFIRMED }
      orderBy: ALLELE_FREQUENCY
      first: 100
    ) {
      totalCount
      edges { node { id position ref alt type depth alleleFrequency quality
        effects { gene aminoAcidChange consequence impact } mutationOfConcern { id gene aminoAcidChange label } } }
    }
  }
`);

/** A call as the genome track's query gives it. */
export type TrackVariantNode = ResultOf<typeof TrackVariantsQuery>['variants']['edges'][number]['node'];

/** The genes and other features of a stretch of one contig. */
export const GenomeFeaturesQuery = graphql(`
  query GenomeFeatures($run: ID!, $contig: String!, $from: Int!, $to: Int!) {
    genomeFeatures(runId: $run, contig: $contig, from: $from, to: $to) { gene locusTag product kind strand from to }
  }
`);

/** The reference's bases in a stretch of one contig. */
export const ReferenceBasesQuery = graphql(`
  query ReferenceBases($run: ID!, $contig: String!, $from: Int!, $to: Int!) {
    referenceBases(runId: $run, contig: $contig, from: $from, to: $to)
  }
`);
