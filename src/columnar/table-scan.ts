import { createHash } from 'node:crypto';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { CyclopsError } from '../core/index.js';
import { type ColumnData, ColumnHasher, INLINE, WIDTH } from './column-hash.js';
import type { DuckSession } from './duckdb-session.js';
import type { TypedColumn } from './normalize.js';
import { sqlIdent } from './sql.js';
import { type RawColumn, rawColumn } from './vector-data.js';

/**
 * Rows read between two calls of TableReader's onRows: the compute thread's pace, small enough that
 * a range of every column is still in cache when that thread gets to it.
 */
const PROGRESS_ROWS = 1 << 15;

/**
 * Reads columns of a normalized table once, in row order. The `stored` ones go whole into shared
 * memory: each column's values as DuckDB lays them out (vector-data.ts) and its validity bits, so the
 * compute thread can hash and profile them without a JS value per cell; `columns` is allocated up
 * front (pass it to that thread first) and `onRows(n)` says when rows [0, n) are in. The `hashed`
 * ones, needed for the content hash only, are hashed here chunk by chunk and never stored. With
 * `longStrings`, the read also digests the strings longer than 12 bytes, which a string_t does not
 * hold (column-hash.ts): DuckDB computes each row's MD5 on the way. DuckDB computes the next chunk
 * while JS copies this one.
 */
export class TableReader {
  readonly columns: ColumnData[];
  private readonly hashers: ColumnHasher[];
  private readonly strings: TypedColumn[];

  constructor(
    private readonly typed: readonly TypedColumn[],
    private readonly rowCount: number,
    private readonly stored: readonly number[],
    private readonly hashed: readonly number[],
    longStrings: boolean,
  ) {
    this.columns = stored.map((i) => {
      const type = (typed[i] as TypedColumn).type;
      return {
        type,
        rows: rowCount,
        bytes: new Uint8Array(new SharedArrayBuffer(rowCount * WIDTH[type])),
        validity: new Uint32Array(new SharedArrayBuffer(Math.ceil(rowCount / 32) * 4)),
      };
    });
    this.hashers = hashed.map((i) => new ColumnHasher((typed[i] as TypedColumn).type));
    this.strings = longStrings
      ? [...stored, ...hashed]
          .sort((x, y) => x - y)
          .flatMap((i) => {
            const c = typed[i] as TypedColumn;
            return c.type === 'string' ? [c] : [];
          })
      : [];
  }

  /**
   * Reads the table: the stored columns in one stream, the hashed ones (and the long strings) in
   * another on a connection of its own, so DuckDB decodes both at once while JS takes whichever chunk
   * is ready. Resolves to the `hashed` columns' digests and present counts, and the long strings'
   * digest (with longStrings and a string column; else null).
   */
  async read(
    session: DuckSession,
    table: string,
    onRows?: (upTo: number) => void,
  ): Promise<{ digests: string[]; present: number[]; longStrings: string | null }> {
    const { columns, rowCount, hashers } = this;
    const long = this.strings.length > 0 ? createHash('sha256') : null;
    const present = hashers.map(() => 0);
    const name = (i: number) => sqlIdent((this.typed[i] as TypedColumn).name);
    const streams: Promise<void>[] = [];
    if (rowCount > 0 && columns.length > 0) {
      let reported = 0;
      streams.push(
        eachChunk(session, table, this.stored.map(name), rowCount, (chunk, rows, offset) => {
          columns.forEach((column, k) => {
            const raw = rawColumn(chunk, k);
            const width = WIDTH[column.type];
            column.bytes.set(raw.bytes.subarray(0, rows * width), offset * width);
            copyBits(raw.validity, rows, column.validity, offset);
          });
          if (onRows && offset + rows - reported >= PROGRESS_ROWS) {
            reported = offset + rows;
            onRows(reported);
          }
        }),
      );
    }
    if (rowCount > 0 && (hashers.length > 0 || long)) {
      const select = this.hashed.map(name);
      if (long) select.push(longStringsSql(this.strings));
      let scratch = new Uint8Array(0);
      const allPresent = new Uint32Array(64).fill(0xffffffff);
      streams.push(
        session.beside((side) =>
          eachChunk(side, table, select, rowCount, (chunk, rows) => {
            if (scratch.length < rows * 16) scratch = new Uint8Array(rows * 16);
            hashers.forEach((hasher, k) => {
              const raw = rawColumn(chunk, k);
              // A copy to make canonical: DuckDB's memory is left as it is.
              const bytes = scratch.subarray(0, raw.bytes.length);
              bytes.set(raw.bytes);
              const type = (this.typed[this.hashed[k] as number] as TypedColumn).type;
              const data = { type, rows, bytes, validity: raw.validity ?? allPresent };
              present[k] = (present[k] as number) + hasher.add(data, 0, rows);
            });
            if (long) long.update(presentValues(rawColumn(chunk, hashers.length), rows, scratch));
          }),
        ),
      );
    }
    const done = await Promise.allSettled(streams);
    for (const d of done) if (d.status === 'rejected') throw d.reason;
    onRows?.(rowCount);
    return {
      digests: hashers.map((h) => h.digest()),
      present,
      longStrings: long ? long.digest('hex') : null,
    };
  }
}

/**
 * Streams `SELECT columns FROM table` chunk by chunk into `each(chunk, rows, offset)`, asking DuckDB
 * for the next chunk before handling this one, and checks the table kept its `rowCount` rows.
 */
async function eachChunk(
  session: DuckSession,
  table: string,
  columns: string[],
  rowCount: number,
  each: (chunk: DuckDBDataChunk, rows: number, offset: number) => void,
): Promise<void> {
  const result = await session.stream(`SELECT ${columns.join(', ')} FROM ${sqlIdent(table)}`);
  let offset = 0;
  let next = result.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      const rows = chunk.rowCount;
      if (offset + rows > rowCount) throw new CyclopsError('internal', `table '${table}' grew during a scan`);
      each(chunk, rows, offset);
      offset += rows;
    }
  } finally {
    // A chunk asked for before a failure is not waited for.
    next.catch(() => undefined);
  }
  if (offset !== rowCount) throw new CyclopsError('internal', `table '${table}' changed during a scan`);
}

/**
 * Per row: when some string of the row is longer than INLINE bytes, DuckDB's md5_number (whose 16
 * bytes are the MD5 digest) of those strings' bytes concatenated in column order; else NULL.
 */
function longStringsSql(strings: TypedColumn[]): string {
  const long = strings.map((c) => `strlen(${sqlIdent(c.name)}) > ${INLINE}`);
  const parts = strings.map((c, k) => `CASE WHEN ${long[k]} THEN ${sqlIdent(c.name)} END`);
  return `CASE WHEN ${long.join(' OR ')} THEN md5_number(concat(${parts.join(', ')})) END`;
}

/** The present 16-byte values of a chunk, packed together into `scratch`. */
function presentValues(raw: RawColumn, rows: number, scratch: Uint8Array): Uint8Array {
  const { validity } = raw;
  if (validity === null) return raw.bytes.subarray(0, rows * 16);
  const from = new Uint32Array(raw.bytes.buffer, raw.bytes.byteOffset, rows * 4);
  const to = new Uint32Array(scratch.buffer, 0, rows * 4);
  let n = 0;
  for (let w = 0; w * 32 < rows; w++) {
    let word = validity[w] as number;
    // Most chunks have no long string at all.
    while (word !== 0) {
      const i = w * 32 + (31 - Math.clz32(word & -word));
      word &= word - 1;
      if (i >= rows) break;
      to[4 * n] = from[4 * i] as number;
      to[4 * n + 1] = from[4 * i + 1] as number;
      to[4 * n + 2] = from[4 * i + 2] as number;
      to[4 * n + 3] = from[4 * i + 3] as number;
      n++;
    }
  }
  return scratch.subarray(0, n * 16);
}

/**
 * Copies `rows` validity bits (null: all present) to bits `offset` onwards of `to`, a word at a time
 * whatever the offset (chunks of a Parquet scan are not all 2,048 rows). `to` starts zeroed and is
 * filled in order, so bits are OR-ed in.
 */
function copyBits(from: Uint32Array | null, rows: number, to: Uint32Array, offset: number): void {
  const shift = offset & 31;
  const at = offset >>> 5;
  for (let k = 0; k * 32 < rows; k++) {
    let w = from === null ? 0xffffffff : (from[k] as number);
    const left = rows - k * 32;
    if (left < 32) w &= (1 << left) - 1;
    to[at + k] = (to[at + k] as number) | (w << shift);
    if (shift !== 0 && at + k + 1 < to.length) {
      to[at + k + 1] = (to[at + k + 1] as number) | (w >>> (32 - shift));
    }
  }
}
