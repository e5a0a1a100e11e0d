import type { Transaction } from 'kysely';
import type { Database } from './database.js';

export type Tx = Transaction<Database>;

/** SQLSTATE 23505, raised the same way by pg and PGlite. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
