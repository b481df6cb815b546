import type { Dispatch, SetStateAction } from 'react';
import type { FieldErrors } from '@/lib/validation';

/** The props that tie a `Field` to one text value of a form's state. */
export interface FieldBinding<Name extends string> {
  name: Name;
  value: string;
  error: string | undefined;
  onChange(event: { target: { value: string } }): void;
}

/**
 * Binds `field` of a form's values (and its message) to a `Field`: what it shows, and the change
 * that typing makes. `onEdit` runs on every keystroke, for forms that stop following outside values.
 */
export function bindField<Name extends string, Values extends Record<Name, string>>(
  field: Name,
  values: Values,
  errors: FieldErrors<Name>,
  setValues: Dispatch<SetStateAction<Values>>,
  onEdit?: () => void,
): FieldBinding<Name> {
  return {
    name: field,
    value: values[field],
    error: errors[field],
    onChange: (event) => {
      onEdit?.();
      setValues((current) => ({ ...current, [field]: event.target.value }));
    },
  };
}
