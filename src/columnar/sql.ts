// Identifiers and file paths are spliced into SQL text because DuckDB table functions
// (read_csv, COPY ... TO) take them as literals, not as bound parameters: quote them here, once.

/** A SQL string literal: single quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: double quotes doubled, so any column name (spaces, quotes, case) survives. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A double literal DuckDB reads back as the same double (JS prints the shortest round-trip form). */
export function sqlDouble(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}
