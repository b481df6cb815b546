import { graphql, type ResultOf, type SchemaType } from './graphql';

export type PipelineState = SchemaType<'PipelineState'>;
export type ReadSource = SchemaType<'ReadSource'>;
export type VariantType = SchemaType<'VariantType'>;
export type VariantStatus = SchemaType<'VariantStatus'>;
export type VariantOrder = SchemaType<'VariantOrder'>;
export type AnalysisOrder = SchemaType<'AnalysisOrder'>;
/** The run configuration form's values, as `startPipeline` takes them. */
export type StartPipelineInput = SchemaType<'StartPipelineInput'>;
/** The variants table's filter, as `variants` takes it. */
export type VariantFilter = SchemaType<'VariantFilter'>;
export type Consequence = SchemaType<'Consequence'>;
/** GERMLINE (genotypes) or POPULATION (allele frequencies of a mixed sample). */
export type CallingMode = SchemaType<'CallingMode'>;

/** What the alarm feed and the variants table show of a call's effects on genes. */
const EffectFields = graphql(`
  fragment EffectFields on VariantEffect @_unmask { gene aminoAcidChange consequence impact }
`);

/** What the overview shows of one metrics snapshot, live or from the `pipeline` query. */
const QueueMetricsFields = graphql(`
  fragment QueueMetricsFields on QueueMetrics @_unmask {
    at state runId throttled queueDepth highWater lowWater
    ingestionRate processingRate readsProduced readsAnalysed variantsConfirmed filesWaiting bytesWaiting
  }
`);

/** One tick of the live metrics. */
export type QueueMetrics = ResultOf<typeof QueueMetricsFields>;

/** Live metrics at 4 Hz, with the run and its confirmed-variant count. */
export const QueueMetricsSubscription = graphql(
  `
  subscription QueueMetrics { queueMetrics(intervalMs: 250) { ...QueueMetricsFields } }
`,
  [QueueMetricsFields],
);

/** The pipeline now: the overview's first picture until the subscription's first tick. */
export const PipelineQuery = graphql(
  `
  query Pipeline { pipeline { metrics { ...QueueMetricsFields } } }
`,
  [QueueMetricsFields],
);

/** Who the signed-in key belongs to. */
export const MeQuery = graphql(`
  query Me { me { role label } }
`);

export const StartPipelineMutation = graphql(`
  mutation StartPipeline($input: StartPipelineInput!) {
    startPipeline(input: $input) {
      __typename
      ... on Run { id status }
      ... on Error { message }
      ... on InvalidInputError { field }
    }
  }
`);

export const StopPipelineMutation = graphql(`
  mutation StopPipeline($drain: Boolean) {
    stopPipeline(drain: $drain) { __typename ... on Run { id status } ... on Error { message } }
  }
`);

export const TriggerSpikeMutation = graphql(`
  mutation TriggerSpike($multiplier: Float!, $durationSeconds: Float!) {
    triggerSpike(multiplier: $multiplier, durationSeconds: $durationSeconds) { state }
  }
`);

export const UpdateThresholdsMutation = graphql(`
  mutation UpdateThresholds($highWater: Int!, $lowWater: Int!) {
    updateThresholds(highWater: $highWater, lowWater: $lowWater) { highWater lowWater }
  }
`);

/** The mutation alarm, with the interpretation when it is already written. */
export const MutationDetectedSubscription = graphql(
  `
  subscription MutationDetected {
    mutationDetected { id runId sample contig position ref alt type depth alleleFrequency quality status firstSeenAt
      fileArrivedAt detectedAt
      interpretation { source summary } effects { ...EffectFields } mutationOfConcern { id label } }
  }
`,
  [EffectFields],
);

/** Only the alarms for listed mutations of concern: what the banner shows. */
export const ConcernDetectedSubscription = graphql(
  `
  subscription ConcernDetected {
    mutationDetected(filter: { mutationsOfConcernOnly: true }) {
      id runId contig position ref alt alleleFrequency effects { ...EffectFields }
      mutationOfConcern { id gene aminoAcidChange label }
    }
  }
`,
  [EffectFields],
);

/** A mutation-of-concern alarm as the banner shows it. */
export type ConcernAlarm = ResultOf<typeof ConcernDetectedSubscription>['mutationDetected'];

/** A variant call as the alarm feed shows it. */
export type Alarm = ResultOf<typeof MutationDetectedSubscription>['mutationDetected'];
/** How a variant was interpreted: by the rules or a model. */
export type Interpretation = NonNullable<Alarm['interpretation']>;

/** An interpretation written after the alarm, looked up for one of the feed's calls. */
export const InterpretationQuery = graphql(`
  query Interpretation($id: ID!) { variant(id: $id) { id interpretation { source summary } } }
`);

export const RunsQuery = graphql(`
  query Runs($first: Int!, $after: String) {
    runs(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id status source startedAt stoppedAt referenceLength readsAnalysed variantsConfirmed } }
    }
  }
`);

export const RunQuery = graphql(`
  query Run($id: ID!) {
    run(id: $id) { id status source mode config referenceName referenceLength error startedAt stoppedAt
      readsProduced readsAnalysed batchesAnalysed variantsConfirmed
      samples { name readsAnalysed mappedReads properlyPairedReads meanDepth breadth10x variantsConfirmed }
      warnings { code message file at } }
  }
`);

/** A run with its totals and configuration, as the run page shows it. */
export type RunDetail = NonNullable<ResultOf<typeof RunQuery>['run']>;
/** One row of the run page's samples table. */
export type SampleRow = RunDetail['samples'][number];
/** One fault the run met and went on from, as the run page lists it. */
export type RunWarningRow = RunDetail['warnings'][number];

/** A run's analysed batches in the chosen order. */
export const AnalysesQuery = graphql(`
  query Analyses($run: ID!, $first: Int!, $after: String, $orderBy: AnalysisOrder) {
    analyses(filter: { runId: $run }, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id sequence reads mappedReads mutatedReads createdAt } }
    }
  }
`);

export const VariantsQuery = graphql(
  `
  query Variants($filter: VariantFilter!, $orderBy: VariantOrder, $first: Int!, $after: String) {
    variants(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id sample contig position ref alt type depth altCount alleleFrequency quality filters status
        interpretation { source summary } effects { ...EffectFields } mutationOfConcern { id label } } }
    }
  }
`,
  [EffectFields],
);

/** A row of the variants table. */
export type VariantRow = ResultOf<typeof VariantsQuery>['variants']['edges'][number]['node'];

export const VariantQuery = graphql(`
  query Variant($id: ID!) {
    variant(id: $id) { id sample contig position ref alt type genotype depth altCount alleleFrequency quality status
      forwardRefCount reverseRefCount forwardAltCount reverseAltCount strandBias filters readsUntilDetection
      alleleFrequencyHistory { readsAnalysed alleleFrequency depth at }
      firstSeenAt lastSeenAt interpretation { source summary details }
      effects { gene locusTag product consequence impact codonChange aminoAcidChange hgvsC hgvsP distance }
      mutationOfConcern { id gene aminoAcidChange label } }
  }
`);

/** A stored call as its detail dialog shows it. */
export type VariantDetailData = NonNullable<ResultOf<typeof VariantQuery>['variant']>;
/** One point of a call's allele frequency over its run. */
export type AlleleFrequencyPoint = VariantDetailData['alleleFrequencyHistory'][number];

/** The mutations-of-concern list. */
export const MutationsOfConcernQuery = graphql(`
  query MutationsOfConcern { mutationsOfConcern { id gene aminoAcidChange label } }
`);

/** One entry of the mutations-of-concern list. */
export type MutationOfConcern = ResultOf<typeof MutationsOfConcernQuery>['mutationsOfConcern'][number];

export const AddMutationOfConcernMutation = graphql(`
  mutation AddMutationOfConcern($input: AddMutationOfConcernInput!) {
    addMutationOfConcern(input: $input) { id gene aminoAcidChange label }
  }
`);

export const RemoveMutationOfConcernMutation = graphql(`
  mutation RemoveMutationOfConcern($id: ID!) { removeMutationOfConcern(id: $id) }
`);

export const MetricsHistoryQuery = graphql(`
  query MetricsHistory($run: ID!) {
    metricsHistory(runId: $run) { at ingestionRate processingRate queueDepth throttled }
  }
`);
