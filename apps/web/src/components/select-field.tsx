import type { SelectHTMLAttributes } from 'react';

/** One choice of a `SelectField`: the value it sends and the words it shows. */
export interface SelectOption<Value extends string> {
  value: Value;
  label: string;
}

interface SelectFieldProps<Value extends string>
  extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'value' | 'onChange' | 'children'> {
  id: string;
  label: string;
  value: Value;
  options: readonly SelectOption<Value>[];
  onChange(value: Value): void;
  /** Label beside the drop-down rather than above it (toolbars, panel heads). */
  inline?: boolean;
  /** A line under the drop-down, tied to it for assistive technology. */
  hint?: string | undefined;
}

/** A labelled drop-down of `options` that reports the value chosen. */
export function SelectField<Value extends string>({
  id,
  label,
  value,
  options,
  onChange,
  inline = false,
  hint,
  ...select
}: SelectFieldProps<Value>) {
  return (
    <div className={inline ? 'field field-inline' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        // The options are `Value`s, so the one chosen is too.
        onChange={(event) => onChange(event.target.value as Value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
