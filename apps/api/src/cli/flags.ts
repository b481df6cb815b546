import { UsageError } from './usage-error.js';

/** Parses a numeric flag, naming it when the value is not a number in range. */
export function numberFlag(
  name: string,
  value: string | undefined,
  options: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  const { integer = false, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = options;
  if (value.trim() === '' || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
    throw new UsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'}, got "${value}"`);
  }
  if (number < min || number > max) {
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${value}`);
  }
  return number;
}
