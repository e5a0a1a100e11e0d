import { CyclopsError } from '../core/index.js';

// Why `unavailable` for all three: see the `Executor` doc comment.

export function cancelledError(task: string, cause?: unknown): CyclopsError {
  return new CyclopsError('unavailable', `${task} was cancelled`, { reason: 'cancelled' }, { cause });
}

export function timeoutError(task: string, timeoutMs: number): CyclopsError {
  return new CyclopsError('unavailable', `${task} timed out after ${timeoutMs} ms`, {
    reason: 'timeout',
    timeoutMs,
  });
}

export function closedError(task: string): CyclopsError {
  return new CyclopsError('unavailable', `${task} did not run: the executor is closed`, { reason: 'closed' });
}

/** The error a task aborted through `signal` rejects with: the reason, when the executor set one. */
export function abortReason(signal: AbortSignal, task: string): unknown {
  return signal.reason instanceof CyclopsError ? signal.reason : cancelledError(task, signal.reason);
}
