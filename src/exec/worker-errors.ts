import { CyclopsError, type ErrorCode, type ErrorDetails, isErrorCode } from '../core/index.js';
import type { SerializedError, TaskRequest, TaskResponse } from './worker-protocol.js';

/** The error a failed task rejects with: the thrown error itself when the task's own code threw. */
export function failureError(
  res: Extract<TaskResponse, { ok: false }>,
  req: TaskRequest,
  label: string,
): Error {
  switch (res.kind) {
    case 'load': {
      const message = `Cannot load module ${req.moduleUrl}: ${res.error.message}`;
      return new CyclopsError('invalid_argument', message, { field: 'moduleUrl' });
    }
    case 'export':
      return new CyclopsError(
        'invalid_argument',
        `Module ${req.moduleUrl} has no exported function '${req.exportName}': ${res.error.message}`,
        { field: 'exportName' },
      );
    case 'output':
      return new CyclopsError(
        'internal',
        `${label} returned a value that cannot be sent back: ${res.error.message}`,
      );
    case 'task':
      return revive(res.error);
  }
}

/** A thread that died mid-task fails that task; the label is filled in by the pool. */
export function crashError(why: string, cause?: unknown): (label: string) => Error {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  const details = { reason: 'worker_crashed' };
  return (label) =>
    new CyclopsError('internal', `${label} lost its worker thread (${why}${detail})`, details, { cause });
}

function revive(e: SerializedError): Error {
  const err =
    e.name === 'CyclopsError' && typeof e.code === 'string' && isErrorCode(e.code)
      ? new CyclopsError(e.code as ErrorCode, e.message, (e.details ?? {}) as ErrorDetails)
      : Object.assign(new Error(e.message), { name: e.name });
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
