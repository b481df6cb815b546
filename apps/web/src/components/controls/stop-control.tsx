'use client';

import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { shortId } from '@/lib/format';
import { StopPipelineMutation } from '@/lib/graphql/operations';
import { type ControlOutcome, ControlSubmit, errorMessage } from './feedback';

/** Stops the run going on, draining its queue first unless told not to. */
export function StopControl({ disabledReason, runId }: { disabledReason: string | undefined; runId: string | null }) {
  const [drain, setDrain] = useState(true);
  const [message, setMessage] = useState<ControlOutcome>();
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
      <ControlSubmit
        id="stop"
        className="button button-danger"
        disabledReason={disabledReason}
        fetching={fetching}
        outcome={message}
      >
        {fetching ? 'Stopping…' : 'Stop'}
      </ControlSubmit>
    </form>
  );
}
