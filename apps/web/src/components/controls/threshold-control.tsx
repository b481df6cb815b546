'use client';

import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { type QueueMetrics, UpdateThresholdsMutation } from '@/lib/graphql/operations';
import { validateThresholds } from '@/lib/validation';
import { Field, WHOLE_NUMBER_INPUT } from '../field';
import { ControlSubmit } from './feedback';
import { useControlForm } from './use-control-form';

/** Moves the water marks; follows the pipeline's own until the operator edits them. */
export function ThresholdControl({
  disabledReason,
  metrics,
}: {
  disabledReason: string | undefined;
  metrics: QueueMetrics | undefined;
}) {
  const [edited, setEdited] = useState(false);
  const [{ fetching }, update] = useMutation(UpdateThresholdsMutation);
  const form = useControlForm({
    initial: { highWater: '', lowWater: '' },
    validate: validateThresholds,
    send: update,
    succeeded: (_value, data) => {
      setEdited(false);
      const marks = data?.updateThresholds;
      return marks ? { text: `Water marks now ${marks.highWater} / ${marks.lowWater}.`, error: false } : undefined;
    },
    onEdit: () => setEdited(true),
  });
  const disabled = disabledReason !== undefined;
  const high = metrics?.highWater;
  const low = metrics?.lowWater;
  const { setValues } = form;
  // Follow the pipeline's marks until the operator edits them.
  useEffect(() => {
    if (!edited && high !== undefined && low !== undefined)
      setValues({ highWater: String(high), lowWater: String(low) });
  }, [edited, high, low, setValues]);
  return (
    <form className="form" onSubmit={form.submit} noValidate aria-labelledby="thresholds-title">
      <h3 id="thresholds-title">Thresholds</h3>
      <div className="field-grid field-grid-2">
        <Field
          id="thresholds-high"
          label="High-water"
          {...WHOLE_NUMBER_INPUT}
          {...form.bind('highWater')}
          disabled={disabled}
        />
        <Field
          id="thresholds-low"
          label="Low-water"
          {...WHOLE_NUMBER_INPUT}
          {...form.bind('lowWater')}
          disabled={disabled}
        />
      </div>
      <ControlSubmit id="thresholds" disabledReason={disabledReason} fetching={fetching} outcome={form.outcome}>
        Apply thresholds
      </ControlSubmit>
    </form>
  );
}
