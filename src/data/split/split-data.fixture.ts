import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ColumnSchema, type DuckSession, inferSchema, readTable } from '../../columnar/index.js';
import type { SplitResult } from './split-table.js';

/** Real tables the split tests run on (the same files test/fixtures/split-reference.py reads). */
export type Sample = 'penguins.json' | 'seattle-weather.csv' | 'iris.csv';

const DATA = join(import.meta.dirname, '../../../node_modules/vega-datasets/data');
const IRIS = fileURLToPath(new URL('../../../test/fixtures/data/iris.csv', import.meta.url));

export interface LoadedSample {
  /** The sample plus a last column `__i`, its 0-based row index, so tests can trace every row. */
  table: string;
  /** The sample's own columns (without `__i`): what the split is told about. */
  schema: ColumnSchema[];
  rowCount: number;
}

export async function loadSample(
  session: DuckSession,
  sample: Sample,
  table = 'parent',
): Promise<LoadedSample> {
  const raw = `${table}_raw`;
  if (sample === 'iris.csv') {
    // sklearn's first line is not a header ("150,4,setosa,versicolor,virginica"): skip it, name the columns.
    await session.run(
      `CREATE TABLE ${raw} AS SELECT * FROM read_csv('${IRIS}', skip=1, header=false, columns={
        'sepal_length': 'DOUBLE', 'sepal_width': 'DOUBLE', 'petal_length': 'DOUBLE', 'petal_width': 'DOUBLE', 'target': 'BIGINT'})`,
    );
  } else {
    await readTable(session, {
      path: join(DATA, sample),
      format: sample.endsWith('.csv') ? 'csv' : 'json',
      table: raw,
    });
  }
  const { columns } = await inferSchema(session, raw);
  await session.run(`CREATE TABLE ${table} AS SELECT *, rowid AS __i FROM ${raw}`);
  const [row] = await session.rows(`SELECT count(*) AS n FROM ${table}`);
  return { table, schema: columns, rowCount: Number(row?.n) };
}

const LETTER = { train: 't', validation: 'v', test: 's' } as const;

/**
 * One letter per parent row: the split it went to (t, v, s) or '.' for none; and whether every
 * output kept the parent's order. Throws when a row is in two outputs.
 */
export async function assignment(
  session: DuckSession,
  result: SplitResult,
  rowCount: number,
): Promise<{ labels: string; ordered: boolean }> {
  const labels: string[] = Array.from({ length: rowCount }, () => '.');
  let ordered = true;
  for (const split of result.splits) {
    const rows = await session.rows(`SELECT __i FROM "${split.table}"`);
    let previous = -1;
    for (const row of rows) {
      const i = Number(row.__i);
      if (labels[i] !== '.') throw new Error(`row ${i} is in ${split.name} and in another split`);
      labels[i] = LETTER[split.name];
      if (i <= previous) ordered = false;
      previous = i;
    }
  }
  return { labels: labels.join(''), ordered };
}
