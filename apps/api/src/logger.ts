import { pino } from 'pino';

/** The structured logger every module writes to. */
export type Logger = pino.Logger;

/**
 * Creates the process logger: JSON lines on stdout (pretty lines on a terminal), secrets redacted.
 * Keys never appear in logs even when a request object is logged whole.
 */
export function createLogger(level: pino.LevelWithSilent = 'info', options: { pretty?: boolean } = {}): Logger {
  return pino({
    // On a terminal, readable lines; everywhere else, JSON for log collectors.
    ...(options.pretty && {
      transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service' } },
    }),
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
