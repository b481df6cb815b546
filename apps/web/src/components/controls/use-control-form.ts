'use client';

import { type FormEvent, useState } from 'react';
import type { OperationResult } from 'urql';
import type { FieldErrors, Validated } from '@/lib/validation';
import { bindField, type FieldBinding } from '../field-binding';
import { type ControlOutcome, placedError } from './feedback';

/** How a pipeline control turns its text fields into a request, and what it says when that succeeds. */
export interface ControlFormOptions<Field extends string, Value, Data> {
  initial: Record<Field, string>;
  validate(values: Record<Field, string>): Validated<Value, Field>;
  send(value: Value): Promise<OperationResult<Data>>;
  /** The message once the API agreed; `undefined` says nothing. */
  succeeded(value: Value, data: Data | undefined): ControlOutcome | undefined;
  /** Runs when the operator types in any field. */
  onEdit?(): void;
}

/** A pipeline control's form, as it stands and as the operator edits and submits it. */
export interface ControlForm<Field extends string> {
  values: Record<Field, string>;
  setValues(values: Record<Field, string>): void;
  outcome: ControlOutcome | undefined;
  /** The props that tie a `Field` to `field`. */
  bind(field: Field): FieldBinding<Field>;
  submit(event: FormEvent): Promise<void>;
}

/**
 * The submit cycle the pipeline controls share: validate here, send, then put the API's refusal at
 * its field (or under the form) or say what was done.
 */
export function useControlForm<Field extends string, Value, Data>(
  options: ControlFormOptions<Field, Value, Data>,
): ControlForm<Field> {
  const [values, setValues] = useState(options.initial);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [outcome, setOutcome] = useState<ControlOutcome>();
  const fields = Object.keys(options.initial) as Field[];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(undefined);
    const validated = options.validate(values);
    if (!validated.ok) return setErrors(validated.errors);
    setErrors({});
    const result = await options.send(validated.value);
    if (result.error) {
      const { field, text } = placedError(result.error, fields);
      return field ? setErrors({ [field]: text } as FieldErrors<Field>) : setOutcome({ text, error: true });
    }
    const said = options.succeeded(validated.value, result.data);
    if (said) setOutcome(said);
  };
  return {
    values,
    setValues,
    outcome,
    bind: (field) => bindField(field, values, errors, setValues, options.onEdit),
    submit,
  };
}
