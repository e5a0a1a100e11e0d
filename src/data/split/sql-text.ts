// Quoting for the SQL this folder writes; columnar/'s own helpers are not part of its public surface.

/** A quoted SQL identifier: any column name (spaces, quotes, case) survives. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A double literal DuckDB reads back as the same double (JS prints the shortest round-trip form). */
export function doubleLiteral(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}
