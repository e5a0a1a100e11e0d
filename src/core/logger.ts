import { type Logger, pino } from 'pino';

export type { Logger };

/** Paths pino replaces with [redacted]: secrets never reach logs. */
const SECRET_KEYS = ['password', 'token', 'secret', 'databaseUrl', 'authorization', 'cookie'];

/**
 * Paths pino replaces with [redacted]: secrets never reach logs. pino's wildcards match one level, so
 * each key is listed at depths 0-3 (a request's headers sit at req.headers.authorization).
 */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    destination as pino.DestinationStream | undefined,
  );
}
