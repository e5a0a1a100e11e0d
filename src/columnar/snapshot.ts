import { createHash, type Hash, randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import type { DuckSession } from './duckdb-session.js';
import { type TypedColumn, typedColumns } from './normalize.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * Writes a table as one ZSTD Parquet file, rows in table order (the session preserves insertion order),
 * and returns its size in bytes. The file appears under `outPath` only when complete: it is written
 * beside it under a temporary name and renamed, and the temporary file is removed on failure.
 */
export async function writeParquet(session: DuckSession, table: string, outPath: string): Promise<number> {
  const partial = `${outPath}.partial-${randomUUID()}`;
  try {
    await session.run(`COPY ${sqlIdent(table)} TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd)`);
    await rename(partial, outPath);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return (await stat(outPath)).size;
}

// Bumped if the byte encoding below ever changes, so old and new hashes never collide by accident.
const HASH_VERSION = 'cyclops.table.v1';

/**
 * SHA-256 of a normalized table's content: its column names and types, then every row in order.
 * Each value is encoded from its ColumnType, not from the file it came from, so the same table read
 * from CSV, JSON or Parquet hashes the same, and `1` and `1.0` in an integer column are the same value.
 *
 * Per value: 0x00 for null, else 0x01 and: integer int64 BE; float float64 BE (-0 as 0); boolean one
 * byte; string uint32 BE byte length + UTF-8; date int64 BE days since 1970-01-01; timestamp int64 BE
 * microseconds since 1970-01-01. The result is streamed from DuckDB one chunk (2,048 rows) at a time.
 */
export async function contentHash(session: DuckSession, table: string): Promise<string> {
  const columns = await typedColumns(session, table);
  const hash = createHash('sha256');
  hash.update(`${HASH_VERSION}\n${JSON.stringify(columns.map((c) => [c.name, c.type]))}\n`);
  const out = new HashBuffer(hash);
  const result = await session.stream(
    `SELECT ${columns.map(hashExpr).join(', ') || '1'} FROM ${sqlIdent(table)}`,
  );
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const vectors = columns.map((_, i) => chunk.getColumnValues(i));
    for (let r = 0; r < chunk.rowCount; r++) {
      for (let c = 0; c < columns.length; c++) {
        out.value(vectors[c]?.[r] ?? null);
      }
    }
  }
  out.flush();
  return hash.digest('hex');
}

// Dates and timestamps leave DuckDB as integers, so JS never round-trips them through Date.
function hashExpr(c: TypedColumn): string {
  const col = sqlIdent(c.name);
  if (c.type === 'date') return `CAST(${col} - DATE '1970-01-01' AS BIGINT)`;
  if (c.type === 'timestamp') return `epoch_us(${col})`;
  return col;
}

/** Encodes values into a reused buffer and hands it to the hash when full: one update per ~1 MiB. */
class HashBuffer {
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;

  constructor(private readonly hash: Hash) {}

  value(v: unknown): void {
    if (v === null || v === undefined) {
      this.room(1);
      this.buf[this.pos++] = 0;
      return;
    }
    this.room(9);
    this.buf[this.pos++] = 1;
    if (typeof v === 'bigint') {
      this.pos = this.buf.writeBigInt64BE(v, this.pos);
    } else if (typeof v === 'number') {
      this.pos = this.buf.writeDoubleBE(v === 0 ? 0 : v, this.pos);
    } else if (typeof v === 'boolean') {
      this.buf[this.pos++] = v ? 1 : 0;
    } else {
      this.string(String(v));
    }
  }

  private string(s: string): void {
    const length = Buffer.byteLength(s, 'utf8');
    this.pos = this.buf.writeUInt32BE(length, this.pos);
    if (length > this.buf.length) {
      this.flush();
      this.hash.update(s, 'utf8');
      return;
    }
    this.room(length);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  flush(): void {
    this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}
