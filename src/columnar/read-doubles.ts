import { CyclopsError } from '../core/index.js';
import type { DuckSession } from './duckdb-session.js';
import { rawColumn } from './vector-data.js';

/**
 * Runs `sql` (every column castable to DOUBLE; each is cast) and returns its columns as Float64Arrays,
 * NULL as NaN: how a training set leaves DuckDB for the algorithms, with no JS value per cell (the
 * vectors' bytes are copied whole). `rows` is the result's row count, known to the caller.
 */
export async function readDoubles(
  session: DuckSession,
  sql: string,
  columns: number,
  rows: number,
): Promise<Float64Array[]> {
  const out = Array.from({ length: columns }, () => new Float64Array(rows));
  if (columns === 0 || rows === 0) return out;
  const select = Array.from({ length: columns }, (_, j) => `CAST(c${j} AS DOUBLE) AS c${j}`).join(', ');
  const names = Array.from({ length: columns }, (_, j) => `c${j}`).join(', ');
  const result = await session.stream(`SELECT ${select} FROM (${sql}) AS t(${names})`);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    if (offset + n > rows) throw new CyclopsError('internal', `readDoubles: more than ${rows} rows`);
    for (let j = 0; j < columns; j++) {
      const raw = rawColumn(chunk, j);
      const values = new Float64Array(raw.bytes.buffer, raw.bytes.byteOffset, n);
      const target = out[j] as Float64Array;
      target.set(values, offset);
      const { validity } = raw;
      if (validity !== null) {
        for (let i = 0; i < n; i++) {
          if ((((validity[i >>> 5] as number) >>> (i & 31)) & 1) === 0) target[offset + i] = Number.NaN;
        }
      }
    }
    offset += n;
  }
  if (offset !== rows) throw new CyclopsError('internal', `readDoubles: ${offset} rows, expected ${rows}`);
  return out;
}
