/** Formats a number with at most `digits` decimals and no trailing zeros, as VCF values are written. */
export function compact(value: number, digits: number): string {
  return Number(value.toFixed(digits)).toString();
}
