import { UsageError } from './usage-error.js';

export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

export interface ErrorReport {
  message: string;
  hint: string | undefined;
  exitCode: number;
}

const HINTS: Readonly<Record<string, string>> = {
  not_found: "'cyclops experiments list' and 'cyclops runs list' show what exists",
  already_exists: 'pick another name, or use the existing one',
  store_locked:
    'another cyclops process holds the data directory: talk to it with --url (or CYCLOPS_URL), or stop it first',
  payload_too_large:
    'send less per request (the server limits are CYCLOPS_BODY_LIMIT_BYTES and CYCLOPS_ARTIFACT_MAX_BYTES)',
  internal: 'the server log has the details',
  validation_failed: 'the report above names the failing rules and sample rows',
  EADDRINUSE: 'pick another port with --port (or CYCLOPS_PORT), or stop the process that uses it',
  EACCES: 'ports below 1024 need privileges: pick another one with --port',
};

/** Turns anything thrown by a command into the one or two lines a user sees, and an exit code. */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof UsageError) return { message: err.message, hint: err.hint, exitCode: EXIT_USAGE };
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code !== 'string') {
    return { message, hint: 'run again with CYCLOPS_DEBUG=1 to see where it failed', exitCode: EXIT_RUNTIME };
  }
  const field = (err as { details?: { field?: unknown } }).details?.field;
  const withField =
    typeof field === 'string' && !message.includes(field) ? `${message} (at ${field})` : message;
  // The 'no server' message already says what to do.
  const hint = code === 'unavailable' && message.includes('cyclops up') ? undefined : hintFor(code, err);
  return { message: withField, hint, exitCode: EXIT_RUNTIME };
}

// A missing dataset or version points at the list that has them, not at experiments.
function hintFor(code: string, err: unknown): string | undefined {
  const entity = (err as { details?: { entity?: unknown } }).details?.entity;
  if (code === 'not_found' && typeof entity === 'string' && entity.startsWith('Dataset')) {
    return "'cyclops datasets list' and 'cyclops datasets show NAME' show what exists";
  }
  return HINTS[code];
}

export function formatReport(report: ErrorReport, err: unknown, debug: boolean): string {
  let text = `error: ${report.message}\n`;
  if (report.hint) text += `hint: ${report.hint}\n`;
  if (debug && err instanceof Error && err.stack) text += `${err.stack}\n`;
  return text;
}
