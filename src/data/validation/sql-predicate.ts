import type { DuckSession } from '../../columnar/index.js';
import { sqlIdent, sqlString } from '../../columnar/index.js';
import { CyclopsError, invalid } from '../../core/index.js';

/**
 * Runs one statement through a prepared statement. DuckDB runs every statement of a `run()` text
 * (`SELECT 1; DROP TABLE t` drops the table), but refuses to prepare more than one: every validation
 * query goes through here, so no rule text can add a statement.
 */
export async function queryOne(session: DuckSession, sql: string, params: string[] = []) {
  const statement = await session.connection.prepare(sql);
  try {
    for (const [i, p] of params.entries()) statement.bindVarchar(i + 1, p);
    return (await statement.runAndReadAll()).getRowObjectsJS();
  } finally {
    statement.destroySync();
  }
}

/**
 * Predicates are spliced on lines of their own inside parentheses, the same way in every query: a
 * trailing `-- comment` ends at the newline, and checkPredicate proved this text is one expression.
 */
export const predicateSql = (predicate: string): string => `(\n${predicate}\n)`;

/**
 * Custom SQL is user text run in the server. Before any of it is parsed against the table, the session
 * loses file, network and extension access, and its configuration is locked so a predicate cannot turn
 * them back on. Both are permanent for the session (DuckDB refuses to re-enable external access), so
 * validateTable does this only when a rule is custom SQL, and callers that need files afterwards
 * (writing a snapshot) must do that work first or in another session.
 */
export async function lockDown(session: DuckSession): Promise<void> {
  const [row] = await queryOne(
    session,
    "SELECT current_setting('lock_configuration') AS locked, current_setting('enable_external_access') AS external",
  );
  if (row?.locked === true) {
    if (row.external === false) return;
    throw new CyclopsError(
      'internal',
      'the DuckDB session is locked with external access enabled: custom SQL rules cannot run safely in it',
    );
  }
  await session.run('SET enable_external_access = false');
  await session.run('SET lock_configuration = true');
}

/**
 * Proves a predicate is one boolean expression over the table before it joins the aggregate. DuckDB's
 * own parser (json_serialize_sql) must see `SELECT (predicate)` as a single plain SELECT with one
 * expression: text that closes the parenthesis to add a FROM, WHERE, UNION, LIMIT or another
 * statement changes that shape and is refused. Binding it (prepare) then checks columns, functions and
 * the result type; a WHERE clause makes aggregates and window functions fail here, not in the scan.
 */
export async function checkPredicate(
  session: DuckSession,
  table: string,
  predicate: string,
  field: string,
): Promise<void> {
  // json_serialize_sql takes only a constant: the text goes in as a quoted literal, not a parameter.
  const [row] = await queryOne(
    session,
    `SELECT json_serialize_sql(${sqlString(`SELECT ${predicateSql(predicate)}`)}) AS ast`,
  );
  const shape = singleExpression(String(row?.ast));
  if (shape !== null) throw invalid(`${field}: ${shape}`, { field });
  const expr = predicateSql(predicate);
  let statement: Awaited<ReturnType<DuckSession['connection']['prepare']>>;
  try {
    statement = await session.connection.prepare(
      `SELECT ${expr} AS ok FROM ${sqlIdent(table)} WHERE ${expr} IS NOT TRUE LIMIT 0`,
    );
  } catch (err) {
    throw invalid(`${field}: ${duckMessage(err)}`, { field });
  }
  try {
    if (statement.parameterCount > 0)
      throw invalid(`${field}: a predicate cannot have parameters ($1, ?)`, { field });
    const type = statement.columnType(0).toString();
    if (type !== 'BOOLEAN')
      throw invalid(`${field}: the predicate is ${type}, not a boolean expression`, { field });
  } finally {
    statement.destroySync();
  }
}

interface SerializedSql {
  error?: boolean;
  error_message?: string;
  statements?: { node?: Record<string, unknown> }[];
}

/** Why a serialized `SELECT (predicate)` is not one expression, or null when it is. */
function singleExpression(json: string): string | null {
  const parsed = JSON.parse(json) as SerializedSql;
  if (parsed.error) {
    // Several statements serialize as "Only SELECT statements can be serialized": name the real cause.
    if (/Only SELECT/.test(parsed.error_message ?? '')) return 'must be one SQL expression, not statements';
    return `not a valid SQL expression: ${parsed.error_message ?? 'syntax error'}`;
  }
  const node = parsed.statements?.length === 1 ? parsed.statements[0]?.node : undefined;
  const from = node?.from_table as { type?: string } | undefined;
  const plain =
    node?.type === 'SELECT_NODE' &&
    (node.select_list as unknown[]).length === 1 &&
    from?.type === 'EMPTY' &&
    node.where_clause === null &&
    (node.group_expressions as unknown[]).length === 0 &&
    node.having === null &&
    node.qualify === null &&
    node.sample === null &&
    (node.modifiers as unknown[]).length === 0 &&
    ((node.cte_map as { map?: unknown[] }).map ?? []).length === 0;
  return plain ? null : 'must be one SQL expression (it closes its parenthesis to add clauses or statements)';
}

/** A DuckDB error's first lines, without the query excerpt it quotes (that is our SQL, not the user's). */
export function duckMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split(/\n\s*\nLINE \d+:/)[0] as string).replace(/\s*\n\s*/g, '; ').trim();
}
