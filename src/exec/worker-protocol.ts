/** Messages between the pool and `worker-entry`. Kept free of imports so a worker loads little. */
export interface TaskRequest {
  id: number;
  moduleUrl: string;
  exportName: string;
  input: unknown;
}

/** Where a task failed: loading its module, finding its export, running, or sending the result back. */
export type TaskFailureKind = 'load' | 'export' | 'task' | 'output';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  details?: unknown;
}

export type TaskResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; kind: TaskFailureKind; error: SerializedError };

/** Error objects lose their class and own fields in a structured clone; this keeps what callers need. */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const { code, details } = err as Error & { code?: unknown; details?: unknown };
  const out: SerializedError = { name: err.name, message: err.message };
  if (err.stack !== undefined) out.stack = err.stack;
  if (code !== undefined) out.code = code;
  if (details !== undefined) {
    try {
      out.details = structuredClone(details);
    } catch {
      // Details that cannot cross threads are dropped rather than hiding the error itself.
    }
  }
  return out;
}
