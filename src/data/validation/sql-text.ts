// Rule values are spliced into SQL text because they sit inside one aggregate built per request, not
// at fixed parameter positions. columnar/ quotes the same way but does not export its helpers.

/** A SQL string literal: single quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier: double quotes doubled, so any column name survives. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A double literal DuckDB reads back as the same double (JS prints the shortest round-trip form). */
export function sqlDouble(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}
