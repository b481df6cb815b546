/** A command line that cannot be understood; the CLI exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input that is present but wrong (a file, a value); the CLI exits with code 1. */
export class BadInputError extends Error {
  override name = 'BadInputError';
}
