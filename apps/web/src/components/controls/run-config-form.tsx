'use client';

import Link from 'next/link';
import { type FormEvent, type InputHTMLAttributes, useState } from 'react';
import { useMutation } from 'urql';
import { shortId } from '@/lib/format';
import { type CallingMode, type ReadSource, StartPipelineMutation } from '@/lib/graphql/operations';
import {
  callingModeOf,
  type FieldErrors,
  formFieldOf,
  minAlleleFrequencyFor,
  RUN_CONFIG_DEFAULTS,
  type RunConfigField,
  type RunConfigValues,
  validateRunConfig,
} from '@/lib/validation';
import { Field } from '../field';
import { SelectField, type SelectOption } from '../select-field';
import { DisabledReason, placedError, SubmitButton } from './feedback';

const SOURCES: SelectOption<ReadSource>[] = [
  { value: 'SIMULATED', label: 'Simulated reads' },
  { value: 'FASTQ', label: 'FASTQ files' },
  { value: 'DIRECTORY', label: 'Run folder (live)' },
];
const MODES: SelectOption<CallingMode>[] = [
  { value: 'GERMLINE', label: 'Germline (genotypes)' },
  { value: 'POPULATION', label: 'Population (allele frequencies)' },
];
const RUN_FIELDS = Object.keys(RUN_CONFIG_DEFAULTS) as RunConfigField[];
/** The fields under "More settings". */
const ADVANCED_FIELDS = new Set<RunConfigField>([
  'indelFraction',
  'totalReads',
  'referencePath',
  'readsPaths',
  'annotationPath',
]);

/** The new-run form: a configuration, validated here and by the API, then `startPipeline`. */
export function RunConfigForm({ disabledReason }: { disabledReason: string | undefined }) {
  const [values, setValues] = useState<RunConfigValues>({ ...RUN_CONFIG_DEFAULTS });
  const [errors, setErrors] = useState<FieldErrors<RunConfigField>>({});
  const [formError, setFormError] = useState<string>();
  const [started, setStarted] = useState<{ id: string }>();
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [{ fetching }, start] = useMutation(StartPipelineMutation);
  const disabled = disabledReason !== undefined;

  const setValue = (field: RunConfigField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };
  const set = (field: RunConfigField) => (event: { target: { value: string } }) => setValue(field, event.target.value);

  /** A new mode brings its own minimum allele frequency, unless that was edited. */
  const setMode = (value: string) => {
    const mode = callingModeOf(value);
    setValues((current) => ({
      ...current,
      mode,
      minAlleleFrequency: minAlleleFrequencyFor(mode, current.minAlleleFrequency),
    }));
    if (errors.minAlleleFrequency) setErrors((current) => ({ ...current, minAlleleFrequency: undefined }));
  };

  /** Puts messages at their fields, opening "More settings" when one is inside, and focuses the first. */
  const showErrors = (fieldErrors: FieldErrors<RunConfigField>) => {
    setErrors(fieldErrors);
    const first = RUN_FIELDS.find((field) => fieldErrors[field]);
    if (!first) return;
    if (ADVANCED_FIELDS.has(first)) setAdvancedOpen(true);
    // After the render that shows the message (and opens the details), so the field can take focus.
    requestAnimationFrame(() => document.getElementById(`run-${first}`)?.focus());
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(undefined);
    setStarted(undefined);
    const validated = validateRunConfig(values);
    if (!validated.ok) return showErrors(validated.errors);
    setErrors({});
    const result = await start({ input: validated.value });
    if (result.error) {
      const { field, text } = placedError(result.error, RUN_FIELDS);
      if (field) showErrors({ [field]: text });
      else setFormError(text);
      return;
    }
    const outcome = result.data?.startPipeline;
    if (!outcome) return;
    if (outcome.__typename === 'Run') setStarted({ id: outcome.id });
    else if (outcome.__typename === 'InvalidInputError') {
      const field = formFieldOf(outcome.field, RUN_FIELDS);
      if (field) showErrors({ [field]: outcome.message });
      else setFormError(outcome.message);
    } else setFormError(outcome.message);
  };

  const input = (
    field: RunConfigField,
    label: string,
    hint: string | undefined,
    kind: Pick<InputHTMLAttributes<HTMLInputElement>, 'type' | 'inputMode' | 'step'> = {},
  ) => (
    <Field
      id={`run-${field}`}
      name={field}
      label={label}
      {...kind}
      value={values[field]}
      onChange={set(field)}
      error={errors[field]}
      hint={hint}
      disabled={disabled}
    />
  );
  const number = (field: RunConfigField, label: string, hint?: string, step = 'any') =>
    input(field, label, hint, { type: 'number', inputMode: 'decimal', step });

  return (
    <form className="form run-form" onSubmit={submit} noValidate aria-labelledby="run-form-title">
      <h3 id="run-form-title">New run</h3>
      <div className="field-grid">
        <SelectField
          id="run-source"
          name="source"
          label="Source"
          value={values.source}
          options={SOURCES}
          onChange={(source) => setValue('source', source)}
          disabled={disabled}
        />
        <SelectField
          id="run-mode"
          name="mode"
          label="Calling mode"
          value={values.mode}
          options={MODES}
          onChange={setMode}
          disabled={disabled}
          hint={
            values.mode === 'POPULATION'
              ? 'a mixed sample: minority variants with per-strand counts and filters'
              : 'one individual: genotypes'
          }
        />
        {number('minAlleleFrequency', 'Minimum allele frequency', 'the mode’s default: 0.15 germline, 0.02 population')}
        {values.source === 'DIRECTORY'
          ? input('directory', 'Run folder', 'followed until its end marker, in the server’s input directory')
          : null}
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
      <details className="advanced" open={advancedOpen} onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}>
        <summary>More settings</summary>
        <div className="field-grid">
          {number('indelFraction', 'Indel fraction', 'share of mutations that are indels')}
          {input('totalReads', 'Total reads', 'stop by itself after this many (empty: run until stopped)', {
            type: 'number',
            inputMode: 'numeric',
          })}
          {input('referencePath', 'Reference', 'FASTA or GenBank, in the server’s input directory')}
          {input('readsPaths', 'FASTQ files', 'one file, or two mate files separated by a comma')}
          {input('annotationPath', 'Genes', 'GFF3 or GenBank (a GenBank reference brings its own)')}
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
        <SubmitButton id="start" className="button button-primary" disabledReason={disabledReason} busy={fetching}>
          Start
        </SubmitButton>
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
      <DisabledReason id="start-reason" text={disabledReason} />
    </form>
  );
}
