'use client';

import Link from 'next/link';
import { type FormEvent, useEffect, useState } from 'react';
import { type CombinedError, useMutation } from 'urql';
import { shortId } from '@/lib/format';
import {
  type PipelineState,
  type QueueMetrics,
  StartPipelineMutation,
  StopPipelineMutation,
  TriggerSpikeMutation,
  UpdateThresholdsMutation,
} from '@/lib/graphql/operations';
import {
  type FieldErrors,
  formFieldOf,
  RUN_CONFIG_DEFAULTS,
  type RunConfigField,
  type RunConfigValues,
  type SpikeField,
  type ThresholdField,
  validateRunConfig,
  validateSpike,
  validateThresholds,
} from '@/lib/validation';
import { Field } from './field';

type Role = 'operator' | 'viewer';

interface ControlsProps {
  role: Role;
  metrics: QueueMetrics | undefined;
  runId: string | null;
}

/** A message from a failed request: the API's own words where it gave some. */
function errorMessage(error: CombinedError): string {
  const first = error.graphQLErrors[0];
  if (first?.extensions?.code === 'FORBIDDEN')
    return 'Your key may not change the pipeline: this needs an operator key.';
  return first?.message ?? (error.networkError ? 'The dashboard server could not be reached.' : error.message);
}

/** The field of the API's BAD_USER_INPUT error, if any. */
function badInputField(error: CombinedError): string | undefined {
  const coded = error.graphQLErrors.find((graphQLError) => graphQLError.extensions?.code === 'BAD_USER_INPUT');
  const field = coded?.extensions?.field;
  return typeof field === 'string' ? field : undefined;
}

const RUN_FIELDS = Object.keys(RUN_CONFIG_DEFAULTS) as RunConfigField[];

const isRunning = (state: PipelineState | undefined) => state === 'RUNNING' || state === 'THROTTLED';

/**
 * The operator's controls: start a run with a configuration, stop it, spike it, move its water
 * marks. Every control is disabled, with the reason beside it, for viewers and when it does not
 * apply to the pipeline's state.
 */
export function Controls({ role, metrics, runId }: ControlsProps) {
  const state = metrics?.state;
  const operator = role === 'operator';
  const known = state !== undefined;
  const running = isRunning(state);

  const viewerReason = 'Signed in with a viewer key: controls need an operator key.';
  const startReason = !operator
    ? viewerReason
    : !known
      ? 'Waiting for the pipeline’s state…'
      : state !== 'IDLE'
        ? 'A run is going on: stop it before starting another.'
        : undefined;
  const runningReason = !operator
    ? viewerReason
    : !known
      ? 'Waiting for the pipeline’s state…'
      : !running
        ? state === 'STOPPING'
          ? 'The run is stopping.'
          : 'No run is going on: start one first.'
        : undefined;

  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Controls</h2>
      {!operator ? (
        <p className="notice" id="viewer-note">
          {viewerReason}
        </p>
      ) : null}
      <RunConfigForm disabledReason={startReason} />
      <div className="control-row">
        <StopControl disabledReason={runningReason} runId={runId} />
        <SpikeControl disabledReason={runningReason} />
      </div>
      <ThresholdControl disabledReason={runningReason} metrics={metrics} />
    </section>
  );
}

function Reason({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} className="field-hint reason">
      {text}
    </p>
  ) : null;
}

function RunConfigForm({ disabledReason }: { disabledReason: string | undefined }) {
  const [values, setValues] = useState<RunConfigValues>({ ...RUN_CONFIG_DEFAULTS });
  const [errors, setErrors] = useState<FieldErrors<RunConfigField>>({});
  const [formError, setFormError] = useState<string>();
  const [started, setStarted] = useState<{ id: string }>();
  const [{ fetching }, start] = useMutation(StartPipelineMutation);
  const disabled = disabledReason !== undefined;

  const set = (field: RunConfigField) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(undefined);
    setStarted(undefined);
    const validated = validateRunConfig(values);
    if (!validated.ok) {
      setErrors(validated.errors);
      const first = RUN_FIELDS.find((field) => validated.errors[field]);
      if (first) document.getElementById(`run-${first}`)?.focus();
      return;
    }
    setErrors({});
    const result = await start({ input: validated.value });
    if (result.error) {
      const field = formFieldOf(badInputField(result.error), RUN_FIELDS);
      if (field) setErrors({ [field]: errorMessage(result.error) });
      else setFormError(errorMessage(result.error));
      return;
    }
    const outcome = result.data?.startPipeline;
    if (!outcome) return;
    if (outcome.__typename === 'Run') setStarted({ id: outcome.id });
    else if (outcome.__typename === 'InvalidInputError') {
      const field = formFieldOf(outcome.field, RUN_FIELDS);
      if (field) setErrors({ [field]: outcome.message });
      else setFormError(outcome.message);
    } else setFormError(outcome.message);
  };

  const number = (field: RunConfigField, label: string, hint?: string, step = 'any') => (
    <Field
      id={`run-${field}`}
      name={field}
      label={label}
      type="number"
      inputMode="decimal"
      step={step}
      value={values[field]}
      onChange={set(field)}
      error={errors[field]}
      hint={hint}
      disabled={disabled}
    />
  );

  return (
    <form className="form run-form" onSubmit={submit} noValidate aria-labelledby="run-form-title">
      <h3 id="run-form-title">New run</h3>
      <div className="field-grid">
        <div className="field">
          <label htmlFor="run-source">Source</label>
          <select id="run-source" name="source" value={values.source} onChange={set('source')} disabled={disabled}>
            <option value="SIMULATED">Simulated reads</option>
            <option value="FASTQ">FASTQ files</option>
          </select>
        </div>
        {number('referenceLength', 'Reference length', 'bases of the random reference', '1')}
        {number('readLength', 'Read length', 'bases per read', '1')}
        {number('readsPerSecond', 'Reads per second', '0 = as fast as the pipeline takes them', '1')}
        {number('batchSize', 'Batch size', 'reads per batch', '1')}
        {number('mutationRate', 'Mutation rate', 'per base, 0–1')}
        {number('errorRate', 'Error rate', 'sequencing errors per base, 0–1')}
        {number('highWater', 'High-water mark', 'batches queued before throttling', '1')}
        {number('lowWater', 'Low-water mark', 'batches queued to resume', '1')}
        {number('seed', 'Seed', undefined, '1')}
      </div>
      <details className="advanced">
        <summary>More settings</summary>
        <div className="field-grid">
          {number('indelFraction', 'Indel fraction', 'share of mutations that are indels')}
          <Field
            id="run-totalReads"
            name="totalReads"
            label="Total reads"
            type="number"
            inputMode="numeric"
            value={values.totalReads}
            onChange={set('totalReads')}
            error={errors.totalReads}
            hint="stop by itself after this many (empty: run until stopped)"
            disabled={disabled}
          />
          <Field
            id="run-referencePath"
            name="referencePath"
            label="Reference FASTA"
            value={values.referencePath}
            onChange={set('referencePath')}
            error={errors.referencePath}
            hint="a file in the server’s input directory"
            disabled={disabled}
          />
          <Field
            id="run-readsPaths"
            name="readsPaths"
            label="FASTQ files"
            value={values.readsPaths}
            onChange={set('readsPaths')}
            error={errors.readsPaths}
            hint="one file, or two mate files separated by a comma"
            disabled={disabled}
          />
        </div>
      </details>
      {formError ? (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      ) : null}
      {started ? (
        <p className="notice notice-ok" role="status">
          Run <Link href={`/runs/${started.id}`}>{shortId(started.id)}</Link> started.
        </p>
      ) : null}
      <div className="button-row">
        <button
          type="submit"
          className="button button-primary"
          disabled={disabled || fetching}
          aria-describedby={disabledReason ? 'start-reason' : undefined}
        >
          Start
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={disabled}
          onClick={() => {
            setValues({ ...RUN_CONFIG_DEFAULTS });
            setErrors({});
          }}
        >
          Reset to defaults
        </button>
      </div>
      <Reason id="start-reason" text={disabledReason} />
    </form>
  );
}

function StopControl({ disabledReason, runId }: { disabledReason: string | undefined; runId: string | null }) {
  const [drain, setDrain] = useState(true);
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const [{ fetching }, stop] = useMutation(StopPipelineMutation);
  const disabled = disabledReason !== undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(undefined);
    const result = await stop({ drain });
    if (result.error) return setMessage({ text: errorMessage(result.error), error: true });
    const outcome = result.data?.stopPipeline;
    if (outcome?.__typename === 'Run') setMessage({ text: `Run ${shortId(outcome.id)} stopped.`, error: false });
    else if (outcome) setMessage({ text: outcome.message, error: true });
  };
  return (
    <form className="form" onSubmit={submit} aria-labelledby="stop-title">
      <h3 id="stop-title">Stop</h3>
      <p className="field-hint">{runId ? `Run ${shortId(runId)}` : 'No run'}</p>
      <div className="checkbox">
        <input
          id="stop-drain"
          type="checkbox"
          checked={drain}
          onChange={(event) => setDrain(event.target.checked)}
          disabled={disabled}
        />
        <label htmlFor="stop-drain">Drain the queue first</label>
      </div>
      <button
        type="submit"
        className="button button-danger"
        disabled={disabled || fetching}
        aria-describedby={disabledReason ? 'stop-reason' : undefined}
      >
        {fetching ? 'Stopping…' : 'Stop'}
      </button>
      <Reason id="stop-reason" text={disabledReason} />
      {message ? (
        <p className={message.error ? 'field-error' : 'field-hint'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function SpikeControl({ disabledReason }: { disabledReason: string | undefined }) {
  const [values, setValues] = useState<Record<SpikeField, string>>({ multiplier: '10', durationSeconds: '5' });
  const [errors, setErrors] = useState<FieldErrors<SpikeField>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const [{ fetching }, spike] = useMutation(TriggerSpikeMutation);
  const disabled = disabledReason !== undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(undefined);
    const validated = validateSpike(values);
    if (!validated.ok) return setErrors(validated.errors);
    setErrors({});
    const result = await spike(validated.value);
    if (result.error) {
      const field = formFieldOf(badInputField(result.error), ['multiplier', 'durationSeconds'] as const);
      if (field) return setErrors({ [field]: errorMessage(result.error) });
      return setMessage({ text: errorMessage(result.error), error: true });
    }
    setMessage({
      text: `Spiking ×${validated.value.multiplier} for ${validated.value.durationSeconds} s.`,
      error: false,
    });
  };
  const set = (field: SpikeField) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="spike-title">
      <h3 id="spike-title">Spike</h3>
      <div className="field-grid field-grid-2">
        <Field
          id="spike-multiplier"
          name="multiplier"
          label="Multiplier"
          type="number"
          inputMode="decimal"
          step="any"
          value={values.multiplier}
          onChange={set('multiplier')}
          error={errors.multiplier}
          disabled={disabled}
        />
        <Field
          id="spike-duration"
          name="durationSeconds"
          label="Duration (s)"
          type="number"
          inputMode="decimal"
          step="any"
          value={values.durationSeconds}
          onChange={set('durationSeconds')}
          error={errors.durationSeconds}
          disabled={disabled}
        />
      </div>
      <button
        type="submit"
        className="button"
        disabled={disabled || fetching}
        aria-describedby={disabledReason ? 'spike-reason' : undefined}
      >
        Spike
      </button>
      <Reason id="spike-reason" text={disabledReason} />
      {message ? (
        <p className={message.error ? 'field-error' : 'field-hint'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function ThresholdControl({
  disabledReason,
  metrics,
}: {
  disabledReason: string | undefined;
  metrics: QueueMetrics | undefined;
}) {
  const [values, setValues] = useState<Record<ThresholdField, string>>({ highWater: '', lowWater: '' });
  const [edited, setEdited] = useState(false);
  const [errors, setErrors] = useState<FieldErrors<ThresholdField>>({});
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const [{ fetching }, update] = useMutation(UpdateThresholdsMutation);
  const disabled = disabledReason !== undefined;
  const high = metrics?.highWater;
  const low = metrics?.lowWater;
  // Follow the pipeline's marks until the operator edits them.
  useEffect(() => {
    if (!edited && high !== undefined && low !== undefined)
      setValues({ highWater: String(high), lowWater: String(low) });
  }, [edited, high, low]);
  const set = (field: ThresholdField) => (event: { target: { value: string } }) => {
    setEdited(true);
    setValues((current) => ({ ...current, [field]: event.target.value }));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(undefined);
    const validated = validateThresholds(values);
    if (!validated.ok) return setErrors(validated.errors);
    setErrors({});
    const result = await update(validated.value);
    if (result.error) {
      const field = formFieldOf(badInputField(result.error), ['highWater', 'lowWater'] as const);
      if (field) return setErrors({ [field]: errorMessage(result.error) });
      return setMessage({ text: errorMessage(result.error), error: true });
    }
    const marks = result.data?.updateThresholds;
    setEdited(false);
    if (marks) setMessage({ text: `Water marks now ${marks.highWater} / ${marks.lowWater}.`, error: false });
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="thresholds-title">
      <h3 id="thresholds-title">Thresholds</h3>
      <div className="field-grid field-grid-2">
        <Field
          id="thresholds-high"
          name="highWater"
          label="High-water"
          type="number"
          inputMode="numeric"
          step="1"
          value={values.highWater}
          onChange={set('highWater')}
          error={errors.highWater}
          disabled={disabled}
        />
        <Field
          id="thresholds-low"
          name="lowWater"
          label="Low-water"
          type="number"
          inputMode="numeric"
          step="1"
          value={values.lowWater}
          onChange={set('lowWater')}
          error={errors.lowWater}
          disabled={disabled}
        />
      </div>
      <button
        type="submit"
        className="button"
        disabled={disabled || fetching}
        aria-describedby={disabledReason ? 'thresholds-reason' : undefined}
      >
        Apply thresholds
      </button>
      <Reason id="thresholds-reason" text={disabledReason} />
      {message ? (
        <p className={message.error ? 'field-error' : 'field-hint'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}
