import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { ErrorCode, findErrorCode } from '@/lib/graphql/codes';
import { formFieldOf } from '@/lib/validation';

/** What a control says after its request: done, or why not. */
export interface ControlOutcome {
  text: string;
  error: boolean;
}

/** A message from a failed request: the API's own words where it gave some. */
export function errorMessage(error: CombinedError): string {
  if (findErrorCode(error.graphQLErrors, ErrorCode.Forbidden))
    return 'Your key may not change the pipeline: this needs an operator key.';
  const first = error.graphQLErrors[0];
  return first?.message ?? (error.networkError ? 'The dashboard server could not be reached.' : error.message);
}

/** The field the API's BAD_USER_INPUT error names, if any. */
export function badInputField(error: CombinedError): string | undefined {
  const field = findErrorCode(error.graphQLErrors, ErrorCode.BadUserInput)?.extensions?.field;
  return typeof field === 'string' ? field : undefined;
}

/** A failed request's message and the one of `fields` it belongs on; no field means the whole form. */
export function placedError<Field extends string>(
  error: CombinedError,
  fields: readonly Field[],
): { field: Field | undefined; text: string } {
  return { field: formFieldOf(badInputField(error), fields), text: errorMessage(error) };
}

/** Why a control is disabled, tied to it by `id` (its `aria-describedby`). */
export function DisabledReason({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} className="field-hint reason">
      {text}
    </p>
  ) : null;
}

/**
 * A form's submit button: disabled while there is a reason (told by the `DisabledReason` of the
 * same `id`) or while its request is under way.
 */
export function SubmitButton({
  id,
  className,
  disabledReason,
  busy,
  children,
}: {
  id: string;
  className: string;
  disabledReason: string | undefined;
  busy: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="submit"
      className={className}
      disabled={disabledReason !== undefined || busy}
      aria-describedby={disabledReason ? `${id}-reason` : undefined}
    >
      {children}
    </button>
  );
}

/** The outcome of a control's last request, announced as a status or an alert. */
export function OutcomeMessage({ outcome }: { outcome: ControlOutcome | undefined }) {
  return outcome ? (
    <p className={outcome.error ? 'field-error' : 'field-hint'} role={outcome.error ? 'alert' : 'status'}>
      {outcome.text}
    </p>
  ) : null;
}

/** A control's submit button, the reason it is disabled, and the outcome of its last request. */
export function ControlSubmit({
  id,
  className = 'button',
  disabledReason,
  fetching,
  outcome,
  children,
}: {
  id: string;
  className?: string;
  disabledReason: string | undefined;
  fetching: boolean;
  outcome: ControlOutcome | undefined;
  children: ReactNode;
}) {
  return (
    <>
      <SubmitButton id={id} className={className} disabledReason={disabledReason} busy={fetching}>
        {children}
      </SubmitButton>
      <DisabledReason id={`${id}-reason`} text={disabledReason} />
      <OutcomeMessage outcome={outcome} />
    </>
  );
}
