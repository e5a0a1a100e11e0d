/**
 * Texts both engines must produce identically. An encoder whose policy is 'error' fails the row (TS) or
 * the statement (DuckDB's error()) with this message, the offending value spliced between the parts.
 */
export function encodeErrorParts(what: string, kind: 'missing' | 'unknown'): [string, string] {
  return kind === 'missing'
    ? [`${what}: null is not allowed (missing: 'error')`, '']
    : [`${what}: unseen category '`, `' (unknown: 'error')`];
}

/** The message of a policy error for one value (null for a missing one). */
export function encodeErrorMessage(what: string, kind: 'missing' | 'unknown', value: unknown): string {
  const [before, after] = encodeErrorParts(what, kind);
  return kind === 'missing' ? before + after : `${before}${String(value)}${after}`;
}
