'use client';

import { type FormEvent, useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { type QueueMetrics, UpdateThresholdsMutation } from '@/lib/graphql/operations';
import { type FieldErrors, type ThresholdField, validateThresholds } from '@/lib/validation';
import { Field } from '../field';
import { type ControlOutcome, ControlSubmit, placedError } from './feedback';

/** Moves the water marks; follows the pipeline's own until the operator edits them. */
export function ThresholdControl({
  disabledReason,
  metrics,
}: {
  disabledReason: string | undefined;
  metrics: QueueMetrics | undefined;
}) {
  const [values, setValues] = useState<Record<ThresholdField, string>>({ highWater: '', lowWater: '' });
  const [edited, setEdited] = useState(false);
  const [errors, setErrors] = useState<FieldErrors<ThresholdField>>({});
  const [message, setMessage] = useState<ControlOutcome>();
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
      const { field, text } = placedError(result.error, ['highWater', 'lowWater'] as const);
      return field ? setErrors({ [field]: text }) : setMessage({ text, error: true });
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
      <ControlSubmit id="thresholds" disabledReason={disabledReason} fetching={fetching} outcome={message}>
        Apply thresholds
      </ControlSubmit>
    </form>
  );
}
