import { gql } from '@urql/core';

/** Values of `PipelineState`, as API.md fixes them. */
export type PipelineState = 'IDLE' | 'RUNNING' | 'THROTTLED' | 'STOPPING';
export type ReadSource = 'SIMULATED' | 'FASTQ';
export type VariantType = 'SNV' | 'INSERTION' | 'DELETION';
export type VariantStatus = 'CANDIDATE' | 'CONFIRMED';
export type VariantOrder = 'POSITION' | 'QUALITY' | 'ALLELE_FREQUENCY' | 'DEPTH';
export type RunStatus = 'RUNNING' | 'STOPPING' | 'COMPLETED' | 'STOPPED' | 'FAILED';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** One tick of the live metrics. */
export interface QueueMetrics {
  at: string;
  state: PipelineState;
  throttled: boolean;
  queueDepth: number;
  highWater: number;
  lowWater: number;
  ingestionRate: number;
  processingRate: number;
  readsProduced: number;
  readsAnalysed: number;
  /** Not in API.md's example: present when the API offers it. */
  runId?: string | null;
  variantsConfirmed?: number;
}

const QUEUE_METRICS_FIELDS = `at state throttled queueDepth highWater lowWater
  ingestionRate processingRate readsProduced readsAnalysed`;

/** Live metrics at 4 Hz, with the run and its confirmed-variant count. */
export const QueueMetricsSubscription = gql<{ queueMetrics: QueueMetrics }>`
  subscription QueueMetrics { queueMetrics(intervalMs: 250) { ${QUEUE_METRICS_FIELDS} runId variantsConfirmed } }
`;

/** The same, restricted to the fields API.md guarantees (for an API without the extras). */
export const QueueMetricsSubscriptionBasic = gql<{ queueMetrics: QueueMetrics }>`
  subscription QueueMetricsBasic { queueMetrics(intervalMs: 250) { ${QUEUE_METRICS_FIELDS} } }
`;

export interface RunSummary {
  id: string;
  status: RunStatus;
  source?: ReadSource;
  startedAt: string;
  stoppedAt?: string | null;
  referenceLength?: number;
  readsAnalysed?: number;
  variantsConfirmed?: number;
  config?: string;
}

export interface PipelineSnapshot {
  state: PipelineState;
  throttled: boolean;
  highWater: number;
  lowWater: number;
  run: Pick<RunSummary, 'id'> | null;
  metrics: Pick<QueueMetrics, 'queueDepth' | 'ingestionRate' | 'processingRate' | 'readsProduced' | 'readsAnalysed'>;
}

/** The pipeline now (API.md's query). */
export const PipelineQuery = gql<{ pipeline: PipelineSnapshot }>`
  query Pipeline { pipeline { state throttled highWater lowWater run { id }
    metrics { queueDepth ingestionRate processingRate readsProduced readsAnalysed } } }
`;

export interface RunStats {
  readsAnalysed: number;
  batchesAnalysed: number;
  variantsConfirmed: number;
}

export const StatsQuery = gql<{ stats: RunStats | null }, { run: string }>`
  query Stats($run: ID!) { stats(runId: $run) { readsAnalysed batchesAnalysed variantsConfirmed } }
`;

/** The run configuration form's values, as `startPipeline` takes them. */
export interface StartPipelineInput {
  source: ReadSource;
  referenceLength: number;
  readLength: number;
  readsPerSecond: number;
  batchSize: number;
  mutationRate: number;
  errorRate: number;
  highWater: number;
  lowWater: number;
  seed: number;
  indelFraction?: number;
  totalReads?: number;
  referencePath?: string;
  readsPaths?: string[];
}

interface TypedError {
  __typename: 'PipelineAlreadyRunningError' | 'PipelineNotRunningError' | 'InvalidInputError';
  message: string;
  field?: string;
}

export type StartPipelineResult = { __typename: 'Run'; id: string; status: RunStatus } | TypedError;

export const StartPipelineMutation = gql<{ startPipeline: StartPipelineResult }, { input: StartPipelineInput }>`
  mutation StartPipeline($input: StartPipelineInput!) {
    startPipeline(input: $input) {
      __typename
      ... on Run { id status }
      ... on Error { message }
      ... on InvalidInputError { field }
    }
  }
`;

export type StopPipelineResult = { __typename: 'Run'; id: string; status: RunStatus } | TypedError;

export const StopPipelineMutation = gql<{ stopPipeline: StopPipelineResult }, { drain: boolean }>`
  mutation StopPipeline($drain: Boolean) {
    stopPipeline(drain: $drain) { __typename ... on Run { id status } ... on Error { message } }
  }
`;

export const TriggerSpikeMutation = gql<
  { triggerSpike: { state: PipelineState } },
  { multiplier: number; durationSeconds: number }
>`
  mutation TriggerSpike($multiplier: Float!, $durationSeconds: Float!) {
    triggerSpike(multiplier: $multiplier, durationSeconds: $durationSeconds) { state }
  }
`;

export const UpdateThresholdsMutation = gql<
  { updateThresholds: { highWater: number; lowWater: number } },
  { highWater: number; lowWater: number }
>`
  mutation UpdateThresholds($highWater: Int!, $lowWater: Int!) {
    updateThresholds(highWater: $highWater, lowWater: $lowWater) { highWater lowWater }
  }
`;

export interface Interpretation {
  source: string;
  summary: string;
  details?: string | null;
}

/** A variant call as the alarm feed and the tables show it. */
export interface Variant {
  id: string;
  contig?: string;
  position: number;
  ref: string;
  alt: string;
  type?: VariantType;
  depth?: number;
  altCount?: number;
  alleleFrequency: number;
  quality: number;
  status?: VariantStatus;
  genotype?: string | null;
  firstSeenAt?: string;
  lastSeenAt?: string;
  interpretation?: Interpretation | null;
}

/** The mutation alarm, with the interpretation when the API has one. */
export const MutationDetectedSubscription = gql<{ mutationDetected: Variant }>`
  subscription MutationDetected {
    mutationDetected { id contig position ref alt type depth alleleFrequency quality status firstSeenAt
      interpretation { source summary } }
  }
`;

/** API.md's alarm exactly, for an API without interpretations. */
export const MutationDetectedSubscriptionBasic = gql<{ mutationDetected: Variant }>`
  subscription MutationDetectedBasic { mutationDetected { id position ref alt alleleFrequency quality } }
`;

/** Interpretations written after the alarm: looked up for the feed's newest uninterpreted calls. */
export function interpretationsQuery(count: number) {
  const fields = Array.from(
    { length: count },
    (_, index) => `v${index}: variant(id: $id${index}) { id interpretation { source summary } }`,
  ).join('\n');
  const args = Array.from({ length: count }, (_, index) => `$id${index}: ID!`).join(', ');
  return `query Interpretations(${args}) {\n${fields}\n}`;
}

export const RunsQuery = gql<
  { runs: { totalCount: number; pageInfo: PageInfo; edges: { node: RunSummary }[] } },
  { first: number; after?: string | null }
>`
  query Runs($first: Int!, $after: String) {
    runs(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id status source startedAt stoppedAt referenceLength readsAnalysed variantsConfirmed } }
    }
  }
`;

export interface RunDetail extends RunSummary {
  referenceName: string;
  readsProduced: number;
  batchesAnalysed: number;
  error: string | null;
}

export const RunQuery = gql<{ run: RunDetail | null }, { id: string }>`
  query Run($id: ID!) {
    run(id: $id) { id status source config referenceName referenceLength error startedAt stoppedAt
      readsProduced readsAnalysed batchesAnalysed variantsConfirmed }
  }
`;

export interface Analysis {
  id: string;
  sequence: number;
  reads: number;
  mappedReads: number;
  mutatedReads: number;
  createdAt: string;
}

export const AnalysesQuery = gql<
  { analyses: { totalCount: number; pageInfo: PageInfo; edges: { node: Analysis }[] } },
  { run: string; first: number; after?: string | null }
>`
  query Analyses($run: ID!, $first: Int!, $after: String) {
    analyses(filter: { runId: $run }, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id sequence reads mappedReads mutatedReads createdAt } }
    }
  }
`;

/** The variants table's filter, as `VariantFilter` takes it. */
export interface VariantFilter {
  runId: string;
  minQuality?: number;
  minAlleleFrequency?: number;
  types?: VariantType[];
  status?: VariantStatus;
  positionFrom?: number;
  positionTo?: number;
}

export const VariantsQuery = gql<
  { variants: { totalCount: number; pageInfo: PageInfo; edges: { node: Variant }[] } },
  { filter: VariantFilter; orderBy: VariantOrder; first: number; after?: string | null }
>`
  query Variants($filter: VariantFilter!, $orderBy: VariantOrder, $first: Int!, $after: String) {
    variants(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id contig position ref alt type depth altCount alleleFrequency quality status
        interpretation { source summary } } }
    }
  }
`;

export const VariantQuery = gql<{ variant: Variant | null }, { id: string }>`
  query Variant($id: ID!) {
    variant(id: $id) { id contig position ref alt type genotype depth altCount alleleFrequency quality status
      firstSeenAt lastSeenAt interpretation { source summary details } }
  }
`;

export interface MetricSample {
  at: string;
  ingestionRate: number;
  processingRate: number;
  queueDepth: number;
  throttled: boolean;
}

export const MetricsHistoryQuery = gql<{ metricsHistory: MetricSample[] | null }, { run: string }>`
  query MetricsHistory($run: ID!) {
    metricsHistory(runId: $run) { at ingestionRate processingRate queueDepth throttled }
  }
`;

export type AnalysisOrder = 'SEQUENCE' | 'CREATED_AT';

/** Analyses in a chosen order (the API's `AnalysisOrder`, beyond API.md's example). */
export const AnalysesOrderedQuery = gql<
  { analyses: { totalCount: number; pageInfo: PageInfo; edges: { node: Analysis }[] } },
  {
    run: string;
    first: number;
    after?: string | null;
    orderBy: AnalysisOrder;
    from?: string | null;
    to?: string | null;
  }
>`
  query AnalysesOrdered($run: ID!, $first: Int!, $after: String, $orderBy: AnalysisOrder, $from: DateTime, $to: DateTime) {
    analyses(filter: { runId: $run, from: $from, to: $to }, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id sequence reads mappedReads mutatedReads createdAt } }
    }
  }
`;
