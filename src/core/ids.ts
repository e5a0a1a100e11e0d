import { randomBytes } from 'node:crypto';

/** Run ids follow MLflow: 32 lowercase hex characters (a uuid4 without dashes). */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

export const RUN_ID_PATTERN = /^[0-9a-f]{32}$/;

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}
