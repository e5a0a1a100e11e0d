import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { invalid } from '../core/index.js';
import type { DuckSession } from './duckdb-session.js';
import { describeColumns, normalizeTable } from './normalize.js';
import { readError } from './read-error.js';
import { sqlIdent, sqlString } from './sql.js';
import { detectEncoding, isUtf8, readFirstRecord, transcodeToUtf8 } from './text-source.js';

export const TABLE_FORMATS = ['csv', 'tsv', 'parquet', 'json', 'jsonl'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export interface ReadTableOptions {
  path: string;
  format: TableFormat;
  /** CSV/TSV: whether the first line names the columns (default true). */
  header?: boolean;
  /** CSV/TSV: one character (default ',' for csv, tab for tsv). */
  delimiter?: string;
  /** CSV/TSV: one character, or '' for none (default '"'). A doubled quote escapes a quote. */
  quote?: string;
  /**
   * Text formats: any WHATWG encoding label. Without one, UTF-16 is detected (byte-order mark, or the
   * NUL bytes of ASCII text in UTF-16) and anything else is read as UTF-8.
   */
  encoding?: string;
  /** Name of the table to create in the session (default 'dataset'). */
  table?: string;
}

export interface LoadedTable {
  /** The normalized table in the session (see normalizeTable). */
  table: string;
  rowCount: number;
}

/** Loads a file into a normalized table of the session, or fails with invalid_argument naming the file. */
export async function readTable(session: DuckSession, options: ReadTableOptions): Promise<LoadedTable> {
  const table = options.table ?? 'dataset';
  const raw = `${table}__raw`;
  await loadFile(session, options, (reader) =>
    session.run(`CREATE TABLE ${sqlIdent(raw)} AS SELECT * FROM ${reader}`).then(() => raw),
  );
  await normalizeTable(session, raw, table);
  const [row] = await session.rows(`SELECT count(*) AS n FROM ${sqlIdent(table)}`);
  return { table, rowCount: Number(row?.n ?? 0) };
}

/**
 * readTable up to the normalization: checks the options and the file, transcodes it to UTF-8 if need
 * be, and has `materialize` put the rows of DuckDB's reader (a SQL table-function call) somewhere the
 * session can name (a table, or a view over a Parquet file it wrote), then checks the column names.
 * `materialize` may be called twice: when a value does not fit the type guessed from a sample, the
 * file is read again with the types guessed from every row. Resolves to the name it returned.
 */
export async function loadFile(
  session: DuckSession,
  options: ReadTableOptions,
  materialize: (reader: string) => Promise<string>,
): Promise<string> {
  const file = basename(options.path);
  checkOptions(options, file);
  const info = await stat(options.path).catch(() => null);
  if (!info?.isFile()) throw invalid(`${file}: no such file`, { file });
  if (info.size === 0) throw invalid(`${file}: the file is empty`, { file });

  let tempDir: string | undefined;
  let source = options.path;
  try {
    const encoding =
      options.format === 'parquet' ? undefined : (options.encoding ?? (await detectEncoding(options.path)));
    if (!isUtf8(encoding)) {
      tempDir = await mkdtemp(join(tmpdir(), 'cyclops-transcode-'));
      source = join(tempDir, 'utf8');
      await transcodeToUtf8(options.path, encoding ?? 'utf-8', source, file);
    }
    const raw = await loadRaw(session, { ...options, path: source }, materialize, file);
    await checkColumnNames(session, { ...options, path: source }, raw, file);
    return raw;
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
}

function checkOptions(options: ReadTableOptions, file: string): void {
  const isDelimited = options.format === 'csv' || options.format === 'tsv';
  for (const key of ['header', 'delimiter', 'quote'] as const) {
    if (options[key] !== undefined && !isDelimited) {
      throw invalid(`${file}: '${key}' applies to csv and tsv only`, { file, field: key });
    }
  }
  if (options.delimiter !== undefined && [...options.delimiter].length !== 1) {
    throw invalid(`${file}: the delimiter must be one character`, { file, field: 'delimiter' });
  }
  if (options.quote !== undefined && [...options.quote].length > 1) {
    throw invalid(`${file}: the quote must be one character or empty`, { file, field: 'quote' });
  }
  if (options.format === 'parquet' && options.encoding !== undefined) {
    throw invalid(`${file}: Parquet has no text encoding`, { file, field: 'encoding' });
  }
}

async function loadRaw(
  session: DuckSession,
  options: ReadTableOptions,
  materialize: (reader: string) => Promise<string>,
  file: string,
): Promise<string> {
  const reader = readerSql(options);
  try {
    return await materialize(reader(''));
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    // Types are guessed from a sample of rows; a later value that does not fit is not a bad file:
    // guess again from every row (a second pass, paid only by such files).
    if (/Could not convert|Error when converting column/.test(message)) {
      try {
        return await materialize(reader(', sample_size=-1'));
      } catch (retryErr) {
        throw readError(retryErr, file, options.path);
      }
    }
    if (options.format === 'csv' || options.format === 'tsv') {
      throw await diagnoseCsv(session, options, err, file);
    }
    if (/expected records|Expected top-level JSON array/.test(message)) {
      const expected = options.format === 'json' ? 'a JSON array of objects' : 'one JSON object per line';
      throw readError(err, file, options.path, `expected ${expected}`);
    }
    throw readError(err, file, options.path);
  }
}

/**
 * Column names must be non-empty and unique (ignoring case, as SQL does). DuckDB would quietly rename
 * a CSV's duplicate header `a,a` to `a,a_1` and an empty one to `column1`, so a CSV header is checked
 * as written in the file.
 */
async function checkColumnNames(
  session: DuckSession,
  options: ReadTableOptions,
  raw: string,
  file: string,
): Promise<void> {
  const { delimiter, quote, header } = dialect(options);
  const delimited = options.format === 'csv' || options.format === 'tsv';
  const names =
    delimited && header
      ? await readFirstRecord(options.path, delimiter, quote)
      : delimited
        ? null
        : (await describeColumns(session, raw)).map((c) => c.name);
  if (!names) return;
  const empty = names.findIndex((n) => n.trim() === '');
  if (empty >= 0) {
    throw invalid(`${file}: column ${empty + 1} has an empty name`, { file, column: empty + 1 });
  }
  const seen = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) throw invalid(`${file}: duplicate column name '${name}'`, { file, column: name });
    seen.add(key);
  }
  if (delimited && header) {
    // DuckDB's sniffer can take a wider last line for the header (`a,b,c` then `4,5,6,7` at the end):
    // the columns it read must be the header as written, or some row has the wrong number of fields.
    const read = (await describeColumns(session, raw)).map((c) => c.name);
    if (read.length !== names.length || read.some((n, i) => n !== names[i])) {
      throw invalid(
        `${file}: rows do not match the header's ${names.length} columns (a row has a different number of fields)`,
        { file, expectedColumns: names.length },
      );
    }
  }
}

function readerSql(options: ReadTableOptions): (extra: string) => string {
  const path = sqlString(options.path);
  switch (options.format) {
    case 'parquet':
      return () => `read_parquet(${path})`;
    case 'json':
      return (extra) => `read_json(${path}, format='array', records=true${extra})`;
    case 'jsonl':
      return (extra) => `read_json(${path}, format='newline_delimited', records=true${extra})`;
    default:
      return (extra) => `read_csv(${path}, ${csvDialect(options)}${extra})`;
  }
}

function dialect(options: ReadTableOptions): { delimiter: string; quote: string; header: boolean } {
  return {
    delimiter: options.delimiter ?? (options.format === 'tsv' ? '\t' : ','),
    quote: options.quote ?? '"',
    header: options.header ?? true,
  };
}

// The dialect is always explicit: left to auto-detection, DuckDB "explains" a ragged row or an
// unterminated quote by choosing another dialect (a one-column table) instead of reporting it.
function csvDialect(options: ReadTableOptions): string {
  const { delimiter, quote, header } = dialect(options);
  return `delim=${sqlString(delimiter)}, quote=${sqlString(quote)}, escape=${sqlString(quote)}, header=${header}, strict_mode=true`;
}

/**
 * When DuckDB's sniffer gives up ("could not detect the dialect"), the cause is a malformed row it
 * does not name. Reading again with the columns given (all text, no sniffing) makes the parser report
 * the line and what is wrong with it.
 */
async function diagnoseCsv(
  session: DuckSession,
  options: ReadTableOptions,
  err: unknown,
  file: string,
): Promise<unknown> {
  const { delimiter, quote } = dialect(options);
  const first = await readFirstRecord(options.path, delimiter, quote);
  if (!first || !(err instanceof Error) || !err.message.includes('sniffing')) {
    return readError(err, file, options.path);
  }
  const columns = first.map((_, i) => `${sqlString(`c${i}`)}: 'VARCHAR'`).join(', ');
  try {
    await session.rows(
      `SELECT count(*) FROM read_csv(${sqlString(options.path)}, ${csvDialect(options)}, auto_detect=false, columns={${columns}})`,
    );
  } catch (diagnosis) {
    return readError(diagnosis, file, options.path);
  }
  return readError(err, file, options.path, 'cannot parse the file as CSV');
}
