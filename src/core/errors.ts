/**
 * The one error type of CyclOps. Domains throw it with a stable string code; the API maps the code to an
 * HTTP status through `httpStatusFor` (one table, here) so no domain ever knows about HTTP.
 */
export const ERROR_STATUS = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  store_locked: 423,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetails {
  /** Path of the offending field, e.g. `/metrics/3/value`. */
  field?: string;
  [key: string]: unknown;
}

export class CyclopsError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CyclopsError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function httpStatusFor(code: string): number {
  return isErrorCode(code) ? ERROR_STATUS[code] : 500;
}

/** Own keys only: 'toString' or 'constructor' must not pass for a code. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

export function isCyclopsError(err: unknown): err is CyclopsError {
  return err instanceof CyclopsError;
}

export const invalid = (message: string, details?: ErrorDetails): CyclopsError =>
  new CyclopsError('invalid_argument', message, details);

export const notFound = (what: string, id: string): CyclopsError =>
  new CyclopsError('not_found', `${what} '${id}' does not exist`, { entity: what, id });
