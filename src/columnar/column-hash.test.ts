import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ColumnHasher, HASH_VERSION, hashColumn, tableDigest } from './column-hash.js';
import { contentHash, type DuckSession, withSession } from './index.js';
import { typedColumns } from './normalize.js';
import { TableReader } from './table-scan.js';

const TABLE = `CREATE TABLE t AS SELECT * FROM (VALUES
  (1::BIGINT, 1.5::DOUBLE, 'a', 'also longer than twelve', true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.5'),
  (NULL, -0.0::DOUBLE, '', NULL, false, NULL, NULL),
  (-7, 'nan'::DOUBLE, 'twelve bytes', 'short', NULL, DATE '1969-12-31', TIMESTAMP '1970-01-01'),
  (9007199254740993, NULL, 'thirteen byte', 'another long string', true, DATE '2000-02-29', NULL),
  (0, 'inf'::DOUBLE, NULL, '', false, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.5'),
  (2, 1e-300, 'ünïcödé and more than twelve', 'x', true, NULL, NULL)
) v(i, f, s, s2, b, d, ts)`;

/** The encoding of column-hash.ts written out value by value, from the values DuckDB returns. */
function referenceDigest(type: string, values: unknown[]): string {
  const bits = new Uint32Array(Math.ceil(values.length / 32));
  const data = createHash('sha256');
  values.forEach((v, i) => {
    if (v !== null) bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31));
    const b = Buffer.alloc(type === 'string' ? 16 : type === 'boolean' ? 1 : type === 'date' ? 4 : 8);
    if (type === 'float' && (v === null || Number.isNaN(v))) b.writeUInt32LE(0x7ff80000, 4);
    else if (v !== null) {
      if (type === 'integer' || type === 'timestamp') b.writeBigInt64LE(BigInt(v as bigint));
      else if (type === 'date') b.writeInt32LE(Number(v));
      else if (type === 'boolean') b[0] = v ? 1 : 0;
      else if (type === 'float') b.writeDoubleLE((v as number) === 0 ? 0 : (v as number));
      else {
        const text = Buffer.from(v as string, 'utf8');
        b.writeUInt32LE(text.length);
        text.copy(b, 4, 0, text.length <= 12 ? text.length : 4);
      }
    }
    data.update(b);
  });
  const valid = createHash('sha256').update(new Uint8Array(bits.buffer));
  return `${valid.digest('hex')}${data.digest('hex')}`;
}

/** The long strings' digest of tableDigest, from rows of strings. */
function referenceLong(rows: (string | null)[][]): string {
  const hash = createHash('sha256');
  for (const row of rows) {
    const long = row.filter((v): v is string => v !== null && Buffer.byteLength(v) > 12);
    if (long.length > 0)
      hash.update(
        createHash('md5')
          .update(Buffer.from(long.join(''), 'utf8'))
          .digest(),
      );
  }
  return hash.digest('hex');
}

/** Every column stored whole (TableReader), and the long strings' digest. */
async function read(s: DuckSession, table: string, rows: number) {
  const columns = await typedColumns(s, table);
  const reader = new TableReader(
    columns,
    rows,
    columns.map((_, i) => i),
    [],
    true,
  );
  const { longStrings } = await reader.read(s, table);
  return { columns, data: reader.columns, long: longStrings };
}

describe('the content hash', () => {
  it('encodes every type as column-hash.ts says, read in bulk from DuckDB', async () => {
    await withSession(async (s) => {
      await s.run(TABLE);
      const { columns, data, long } = await read(s, 't', 6);
      const rows = await s.rows(
        `SELECT i, f, s, s2, b, d - DATE '1970-01-01' AS d, epoch_us(ts) AS ts FROM t ORDER BY rowid`,
      );
      columns.forEach((c, k) => {
        const values = rows.map((r) => r[c.name] ?? null);
        expect(hashColumn(data[k]!), c.name).toBe(referenceDigest(c.type, values));
      });
      expect(long).toBe(referenceLong(rows.map((r) => [r.s as string | null, r.s2 as string | null])));
    });
  });

  it('does not depend on how the rows were split', async () => {
    await withSession(async (s) => {
      await s.run(`CREATE TABLE big AS SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.25::DOUBLE END AS f,
        'label-' || (i % 13) || repeat('x', i % 17) AS s FROM range(10000) r(i)`);
      const { data } = await read(s, 'big', 10_000);
      for (const column of data) {
        const pieces = new ColumnHasher(column.type);
        let done = 0;
        for (const upTo of [1, 33, 2048, 2049, 9999, 10_000]) {
          pieces.add(column, done, upTo);
          done = upTo;
        }
        expect(pieces.digest()).toBe(hashColumn(column));
      }
    });
  });

  it(`is pinned for format ${HASH_VERSION}: a change of encoding must bump the version`, async () => {
    await withSession(async (s) => {
      await s.run(TABLE);
      const hash = await contentHash(s, 't');
      expect(hash).toBe('ce466ca04cc6902f1c0b623655f84eada978585c72f591beef411962b3643533');
      expect(tableDigest([], 0, [], null)).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
