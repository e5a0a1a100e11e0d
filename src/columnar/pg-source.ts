import type { DuckDBAppender } from '@duckdb/node-api';
import pg from 'pg';
import { CyclopsError, invalid } from '../core/index.js';
import type { DuckSession } from './duckdb-session.js';
import { normalizeTable } from './normalize.js';
import type { LoadedTable } from './read-table.js';
import { sqlIdent } from './sql.js';

export interface PostgresQueryOptions {
  /** postgres://user:password@host:port/database (its password never appears in errors or logs). */
  connectionString: string;
  /** One SELECT (or VALUES / TABLE) statement; it runs in a read-only transaction. */
  query: string;
  /** Name of the table to create in the session (default 'dataset'). */
  table?: string;
  /** Rows fetched per round trip (default 10,000): memory stays bounded whatever the result size. */
  batchRows?: number;
  connectTimeoutMs?: number;
}

// Postgres type OIDs -> the DuckDB type their text form is cast to. Anything else (text, uuid, json,
// arrays, intervals...) stays its Postgres text form, as CSV would carry it.
const TYPE_BY_OID = new Map<number, string>([
  [16, 'BOOLEAN'],
  [20, 'BIGINT'],
  [21, 'BIGINT'],
  [23, 'BIGINT'],
  [26, 'BIGINT'],
  [700, 'DOUBLE'],
  [701, 'DOUBLE'],
  [1700, 'DOUBLE'],
  [1082, 'DATE'],
  [1114, 'TIMESTAMP'],
  // timestamptz: the session's TimeZone is UTC, so its text is UTC wall time with a '+00' DuckDB drops.
  [1184, 'TIMESTAMP'],
]);

// Every value arrives as the text Postgres sent: no JS Date (local time zone), no lossy int8 parsing.
const rawText = { getTypeParser: () => (value: string) => value };

/**
 * Streams the result of a query against a Postgres server into a normalized table of the session: a
 * cursor in a read-only transaction, fetched in batches and appended to DuckDB, so a result larger than
 * memory never sits in JS. Fails with invalid_argument naming the server (never its password) and what
 * Postgres said, including the position in the query.
 */
export async function readPostgresQuery(
  session: DuckSession,
  options: PostgresQueryOptions,
): Promise<LoadedTable> {
  const table = options.table ?? 'dataset';
  const where = describeConnection(options.connectionString);
  const query = options.query.trim().replace(/;\s*$/, '');
  if (query === '') throw invalid('query: must not be empty', { field: 'query' });
  const client = new pg.Client({
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: rawText,
    application_name: 'cyclops-ingest',
  });
  try {
    await client.connect();
  } catch (err) {
    throw new CyclopsError(
      'invalid_argument',
      `cannot connect to ${where}: ${errorText(err)}`,
      { field: 'connection', server: where },
      { cause: err },
    );
  }
  const text = `${table}__text`;
  const raw = `${table}__raw`;
  try {
    await client.query('BEGIN READ ONLY');
    await client.query("SET LOCAL TimeZone = 'UTC'");
    await run(client, `DECLARE cyclops_ingest NO SCROLL CURSOR FOR ${query}`, where);
    const fetch = `FETCH ${options.batchRows ?? 10_000} FROM cyclops_ingest`;
    let batch = await run(client, fetch, where);
    const columns = batch.fields.map((f) => ({ name: f.name, duckType: TYPE_BY_OID.get(f.dataTypeID) }));
    checkNames(columns.map((c) => c.name));
    await session.run(
      `CREATE TABLE ${sqlIdent(text)} (${columns.map((c) => `${sqlIdent(c.name)} VARCHAR`).join(', ')})`,
    );
    const appender = await session.connection.createAppender(text);
    try {
      while (batch.rows.length > 0) {
        appendRows(appender, batch.rows as unknown as (string | null)[][]);
        appender.flushSync();
        batch = await run(client, fetch, where);
      }
    } finally {
      appender.closeSync();
    }
    await client.query('COMMIT');
    const casts = columns.map((c) => {
      const col = sqlIdent(c.name);
      return c.duckType ? `CAST(${col} AS ${c.duckType}) AS ${col}` : col;
    });
    await session.run(`CREATE TABLE ${sqlIdent(raw)} AS SELECT ${casts.join(', ')} FROM ${sqlIdent(text)}`);
    await session.run(`DROP TABLE ${sqlIdent(text)}`);
    await normalizeTable(session, raw, table);
  } finally {
    await client.end().catch(() => undefined);
  }
  const [row] = await session.rows(`SELECT count(*) AS n FROM ${sqlIdent(table)}`);
  return { table, rowCount: Number(row?.n ?? 0) };
}

async function run(client: pg.Client, statement: string, where: string): Promise<pg.QueryResult> {
  try {
    return await client.query({ text: statement, rowMode: 'array' });
  } catch (err) {
    throw queryError(err, where, statement);
  }
}

function appendRows(appender: DuckDBAppender, rows: (string | null)[][]): void {
  for (const row of rows) {
    for (const value of row) {
      if (value === null) appender.appendNull();
      else appender.appendVarchar(value);
    }
    appender.endRow();
  }
}

function checkNames(names: string[]): void {
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (name.trim() === '') throw invalid(`query: column ${i + 1} has an empty name`, { column: i + 1 });
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw invalid(`query: duplicate column name '${name}' (give each result column a distinct alias)`, {
        field: 'query',
        column: name,
      });
    }
    seen.add(key);
  }
}

/** The statement the user wrote starts after our DECLARE prefix: positions are reported in their query. */
function queryError(err: unknown, where: string, statement: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { code?: string; position?: string };
  if (!e.code) return new CyclopsError('invalid_argument', `${where}: ${e.message}`, { server: where });
  const prefix = statement.startsWith('DECLARE') ? statement.indexOf(' FOR ') + 5 : 0;
  const position = e.position ? Number(e.position) - prefix : undefined;
  const at = position !== undefined && position > 0 ? ` at character ${position}` : '';
  return new CyclopsError(
    'invalid_argument',
    `query failed on ${where}: ${e.message}${at} (SQLSTATE ${e.code})`,
    { field: 'query', server: where, sqlstate: e.code, ...(at ? { position } : {}) },
    { cause: err },
  );
}

function errorText(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorText(err.errors[0]);
  if (err instanceof Error) return err.message || (err as { code?: string }).code || err.name;
  return String(err);
}

/** host:port/database, for messages: the user name and password stay out. */
export function describeConnection(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw invalid('connection: not a postgres:// URL', { field: 'connection' });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw invalid(`connection: expected a postgres:// URL, got '${url.protocol}'`, { field: 'connection' });
  }
  return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname || '/'}`;
}
