'use client';

import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { TriggerSpikeMutation } from '@/lib/graphql/operations';
import { type FieldErrors, type SpikeField, validateSpike } from '@/lib/validation';
import { Field } from '../field';
import { type ControlOutcome, ControlSubmit, placedError } from './feedback';

/** Multiplies the producer's rate for a while (`triggerSpike`). */
export function SpikeControl({ disabledReason }: { disabledReason: string | undefined }) {
  const [values, setValues] = useState<Record<SpikeField, string>>({ multiplier: '10', durationSeconds: '5' });
  const [errors, setErrors] = useState<FieldErrors<SpikeField>>({});
  const [message, setMessage] = useState<ControlOutcome>();
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
      const { field, text } = placedError(result.error, ['multiplier', 'durationSeconds'] as const);
      return field ? setErrors({ [field]: text }) : setMessage({ text, error: true });
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
      <ControlSubmit id="spike" disabledReason={disabledReason} fetching={fetching} outcome={message}>
        Spike
      </ControlSubmit>
    </form>
  );
}
