import type { InputHTMLAttributes } from 'react';

/** A `Field`'s input props for any decimal figure. */
export const DECIMAL_INPUT = { type: 'number', inputMode: 'decimal', step: 'any' } as const;

/** A `Field`'s input props for a whole number. */
export const WHOLE_NUMBER_INPUT = { type: 'number', inputMode: 'numeric', step: '1' } as const;

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name'> {
  id: string;
  name: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
}

/** A labelled input with its hint or validation message tied to it for assistive technology. */
export function Field({ id, name, label, error, hint, className, ...input }: FieldProps) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
