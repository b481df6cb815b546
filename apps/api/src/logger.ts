import { pino } from 'pino';

/** The structured logger every module writes to. */
export type Logger = pino.Logger;

/**
 * Creates the process logger: JSON lines on stdout, secrets redacted.
 * Keys never appear in logs even when a request object is logged whole.
 */
export function createLogger(level: pino.LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service: 'helix' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'apiKey',
        'key',
        'password',
        'connectionString',
      ],
      censor: '[redacted]',
    },
  });
}
