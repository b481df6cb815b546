import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { badInputField, errorMessage } from '@/components/controls/feedback';
import { ErrorCode } from '@/lib/graphql/codes';

const refused = (code: string, message: string, extensions: Record<string, unknown> = {}) =>
  new CombinedError({ graphQLErrors: [{ message, extensions: { code, ...extensions } }] });

describe('control feedback', () => {
  it('should tell a viewer that the control needs an operator key', () => {
    expect(errorMessage(refused(ErrorCode.Forbidden, 'This operation needs the operator role'))).toBe(
      'Your key may not change the pipeline: this needs an operator key.',
    );
  });

  it("should pass the API's own words on for other refusals", () => {
    expect(errorMessage(refused(ErrorCode.BadUserInput, 'multiplier must be more than 0'))).toBe(
      'multiplier must be more than 0',
    );
  });

  it('should say the dashboard server could not be reached when no answer came', () => {
    expect(errorMessage(new CombinedError({ networkError: new Error('Failed to fetch') }))).toBe(
      'The dashboard server could not be reached.',
    );
  });

  it('should find the field a BAD_USER_INPUT error names, and none for other codes', () => {
    expect(badInputField(refused(ErrorCode.BadUserInput, 'too low', { field: 'lowWater' }))).toBe('lowWater');
    expect(badInputField(refused(ErrorCode.Forbidden, 'no', { field: 'lowWater' }))).toBeUndefined();
  });
});
