import { CyclopsError } from '../core/index.js';

// The one sentence worth showing from DuckDB's multi-line reader errors (they go on to suggest
// options CyclOps does not expose, such as ignore_errors).
const REASONS = [
  /Expected Number of Columns: \d+ Found: \d+/,
  /Value with unterminated quote found/,
  /Invalid unicode \(byte sequence mismatch\) detected/,
  /too small to be a Parquet file/,
  /No magic bytes found at end of file/,
  /Could not convert string .*? to '?[A-Z0-9_]+'?/,
  /Malformed JSON.*?: [^.]+/,
];

/** True for failures of the machine rather than of the file: those stay internal errors. */
function isSystemFailure(message: string): boolean {
  return /^(Out of Memory|INTERNAL|FATAL)/i.test(message);
}

/**
 * A DuckDB reader error as the caller's error: invalid_argument, naming the file (by its name only:
 * server paths stay out of messages) and, where DuckDB reports them, the line and column.
 */
export function readError(err: unknown, file: string, sourcePath: string, reason?: string): unknown {
  if (!(err instanceof Error) || isSystemFailure(err.message)) return err;
  const text = err.message.replaceAll(sourcePath, file);
  const line = /Line: (\d+)/.exec(text)?.[1];
  const column = /column "?([^"\n]+?)"?[.:\s]/i.exec(text)?.[1];
  const why =
    reason ??
    REASONS.map((re) => re.exec(text)?.[0]).find((m) => m !== undefined) ??
    (text.split('\n')[0] ?? text).replace(/^[A-Za-z ]*Error: /, '');
  const where = `${line ? ` line ${line}` : ''}${column ? ` column '${column}'` : ''}`;
  return new CyclopsError(
    'invalid_argument',
    `${file}:${where ? `${where}:` : ''} ${why}`,
    {
      file,
      ...(line ? { line: Number(line) } : {}),
      ...(column ? { column } : {}),
    },
    { cause: err },
  );
}
