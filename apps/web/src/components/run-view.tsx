'use client';

import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { useRetryWhileUnreachable } from '@/hooks/use-retry';
import { formatCount, formatDateTime, formatDuration, shortId } from '@/lib/format';
import { type RunDetail, RunQuery } from '@/lib/graphql/operations';
import { AnalysesTable } from './analyses-table';
import { GenomeTrack } from './genome-track/genome-track';
import { MetricHistory } from './metric-history';
import { QueryProblem } from './query-problem';
import { RunWarnings } from './run-warnings';
import { SamplesTable } from './samples-table';
import { StatusBadge } from './status-badge';
import { VariantsTable } from './variants-table';

const LIVE_STATUSES = new Set(['RUNNING', 'STOPPING']);
const SOURCE_LABEL = { SIMULATED: 'Simulated reads', FASTQ: 'FASTQ files', DIRECTORY: 'Run folder (live)' } as const;

/** Parses the run's configuration JSON into displayable pairs. */
function configEntries(config: string | undefined): [string, string][] {
  if (!config) return [];
  try {
    return Object.entries(JSON.parse(config) as Record<string, unknown>).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(', ') : String(value),
    ]);
  } catch {
    return [];
  }
}

/** One run: its totals and configuration, warnings, samples, metric history, variants and analysed batches. */
export function RunView({ id, initial }: { id: string; initial: RunDetail | undefined }) {
  const [result, reexecute] = useQuery({ query: RunQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const run = result.data?.run ?? initial;
  /** The sample whose calls the variants table lists, or '' for every sample. */
  const [sample, setSample] = useState('');
  const live = run ? LIVE_STATUSES.has(run.status) : false;
  useRetryWhileUnreachable(result.error, () => reexecute({ requestPolicy: 'network-only' }));
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), 2000);
    return () => clearInterval(timer);
  }, [live, reexecute]);

  if (!run) {
    return (
      <div>
        <h1>Run {shortId(id)}</h1>
        <QueryProblem error={result.error} />
        {!result.error ? <p className="muted">Loading…</p> : null}
      </div>
    );
  }
  const started = Date.parse(run.startedAt);
  const stopped = run.stoppedAt ? Date.parse(run.stoppedAt) : undefined;
  const duration = ((stopped ?? Date.now()) - started) / 1000;
  return (
    <div className="run-page">
      <div className="page-head">
        <div className="page-title">
          <h1>
            Run <span className="mono">{shortId(run.id)}</span>
          </h1>
          <StatusBadge status={run.status} />
        </div>
        <a className="button" href={`/api/runs/${run.id}/variants.vcf`} download={`helix-run-${run.id}.vcf`}>
          Download VCF
        </a>
      </div>
      <QueryProblem error={result.error} />
      {run.error ? (
        <p className="notice notice-error" role="alert">
          This run failed: {run.error}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        <dl className="summary">
          <div>
            <dt>Run id</dt>
            <dd className="mono">{run.id}</dd>
          </div>
          <div>
            <dt>Source</dt>
            <dd>{SOURCE_LABEL[run.source]}</dd>
          </div>
          <div>
            <dt>Calling mode</dt>
            <dd>{run.mode === 'POPULATION' ? 'Population (allele frequencies)' : 'Germline (genotypes)'}</dd>
          </div>
          <div>
            <dt>Reference</dt>
            <dd>
              {run.referenceName} ({formatCount(run.referenceLength)} bases)
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(run.startedAt)}</dd>
          </div>
          <div>
            <dt>Stopped</dt>
            <dd>{formatDateTime(run.stoppedAt ?? null)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(duration)}</dd>
          </div>
          <div>
            <dt>Reads produced</dt>
            <dd>{formatCount(run.readsProduced)}</dd>
          </div>
          <div>
            <dt>Reads analysed</dt>
            <dd data-testid="run-reads-analysed">{formatCount(run.readsAnalysed)}</dd>
          </div>
          <div>
            <dt>Batches analysed</dt>
            <dd>{formatCount(run.batchesAnalysed)}</dd>
          </div>
          <div>
            <dt>Variants confirmed</dt>
            <dd data-testid="run-variants-confirmed">{formatCount(run.variantsConfirmed)}</dd>
          </div>
        </dl>
        {configEntries(run.config).length > 0 ? (
          <details className="config">
            <summary>Configuration</summary>
            <dl className="summary summary-compact">
              {configEntries(run.config).map(([key, value]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd className="mono">{value}</dd>
                </div>
              ))}
            </dl>
          </details>
        ) : null}
      </section>
      <RunWarnings warnings={run.warnings} />
      <SamplesTable
        samples={run.samples}
        selected={sample}
        onSelect={(name) => {
          setSample(name);
          document.getElementById('variants-title')?.scrollIntoView({ block: 'start' });
        }}
      />
      <GenomeTrack key={run.id} runId={run.id} tick={live ? run.readsAnalysed : undefined} />
      <MetricHistory runId={run.id} live={live} />
      <VariantsTable
        runId={run.id}
        samples={run.samples.map(({ name }) => name)}
        sample={sample}
        onSample={setSample}
        population={run.mode === 'POPULATION'}
      />
      <AnalysesTable runId={run.id} />
    </div>
  );
}
