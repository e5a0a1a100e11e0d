/**
 * The error every client call throws: the server's `{"error": {"code", "message", "details"}}` body with
 * its HTTP status, or code `unavailable` when no server answered at all.
 */
export class CyclopsApiError extends Error {
  readonly code: string;
  /** HTTP status; 0 when the request never got a response (network failure, timeout). */
  readonly status: number;
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    status: number,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CyclopsApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  toJSON(): { code: string; message: string; status: number; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, status: this.status, details: this.details };
  }
}

export function isCyclopsApiError(err: unknown): err is CyclopsApiError {
  return err instanceof CyclopsApiError;
}

/** Worth retrying: nothing answered, or the server said it is temporarily unable to. */
export function isTransientError(err: unknown): boolean {
  if (!isCyclopsApiError(err)) return false;
  return (
    err.code === 'unavailable' ||
    err.status === 0 ||
    err.status === 502 ||
    err.status === 503 ||
    err.status === 504
  );
}

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  423: 'store_locked',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The code to report when a non-2xx response has no CyclOps error body (a proxy answered, say). */
export function codeForStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'invalid_argument');
}
