'use client';

import { useMutation } from 'urql';
import { TriggerSpikeMutation } from '@/lib/graphql/operations';
import { validateSpike } from '@/lib/validation';
import { DECIMAL_INPUT, Field } from '../field';
import { ControlSubmit } from './feedback';
import { useControlForm } from './use-control-form';

/** Multiplies the producer's rate for a while (`triggerSpike`). */
export function SpikeControl({ disabledReason }: { disabledReason: string | undefined }) {
  const [{ fetching }, spike] = useMutation(TriggerSpikeMutation);
  const form = useControlForm({
    initial: { multiplier: '10', durationSeconds: '5' },
    validate: validateSpike,
    send: spike,
    succeeded: (value) => ({ text: `Spiking ×${value.multiplier} for ${value.durationSeconds} s.`, error: false }),
  });
  const disabled = disabledReason !== undefined;
  return (
    <form className="form" onSubmit={form.submit} noValidate aria-labelledby="spike-title">
      <h3 id="spike-title">Spike</h3>
      <div className="field-grid field-grid-2">
        <Field
          id="spike-multiplier"
          label="Multiplier"
          {...DECIMAL_INPUT}
          {...form.bind('multiplier')}
          disabled={disabled}
        />
        <Field
          id="spike-duration"
          label="Duration (s)"
          {...DECIMAL_INPUT}
          {...form.bind('durationSeconds')}
          disabled={disabled}
        />
      </div>
      <ControlSubmit id="spike" disabledReason={disabledReason} fetching={fetching} outcome={form.outcome}>
        Spike
      </ControlSubmit>
    </form>
  );
}
