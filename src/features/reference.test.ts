import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DuckSession, withSession } from '../columnar/index.js';
import { agrees, disagreements, jsonRows, loadDataset, rowOutputs, sqlOutputs } from './engines.fixture.js';
import { fitTransforms, type OutputValue, type TransformConfig, type TransformSpec } from './index.js';

/**
 * Fitted parameters and transformed values against scikit-learn, pandas and numpy on the same files
 * (test/fixtures/features-reference.py wrote the JSON; nothing here runs Python).
 */
const REFERENCE = join(import.meta.dirname, '../../test/fixtures/features-reference.json');

type Values = Record<string, (number | null)[]>;
interface Scaler {
  columns: string[];
  center: number[];
  scale: number[];
  values: Values | null;
}
interface Imputer {
  columns: string[];
  statistics: (number | string)[];
  values?: Values;
}
interface Encoders {
  columns: string[];
  categories: (string | number | null)[][];
  one_hot: number[] | null;
  one_hot_unseen: number[];
  ordinal: Values;
  unseen: (string | number)[][];
  ordinal_unseen: Values;
}
interface Bins {
  columns: string[];
  n_bins: number;
  edges: number[][];
  codes: Record<string, number[]>;
}
type Parts = Record<'year' | 'month' | 'day' | 'weekday' | 'hour', number[]> & { stride: number };
interface Reference {
  [file: string]: {
    scale?: Record<'standard' | 'min_max' | 'robust', Scaler>;
    impute?: Record<'mean' | 'median' | 'most_frequent' | 'most_frequent_text', Imputer>;
    encode?: Encoders;
    log1p?: Values;
    clip?: Values;
    bins?: Bins;
    bins10?: Bins;
    date_parts?: Parts;
  };
}

const reference = JSON.parse(await readFile(REFERENCE, 'utf8')) as Reference;

/** Mismatches between our values and the reference's (1e-9; null for missing in both). */
function mismatches(label: string, ours: readonly unknown[], theirs: readonly unknown[]): string[] {
  if (ours.length !== theirs.length) return [`${label}: ${ours.length} values, reference ${theirs.length}`];
  return ours.flatMap((v, i) =>
    agrees(v as OutputValue, theirs[i] as OutputValue) ? [] : [`${label}[${i}]: ${v} vs ${theirs[i]}`],
  );
}

/** Fits, applies with both engines (which must agree), and returns the spec and the outputs by column. */
async function run(
  session: DuckSession,
  table: string,
  config: TransformConfig,
): Promise<{
  spec: TransformSpec;
  column: (name: string) => OutputValue[];
  rows: Record<string, OutputValue>[];
}> {
  const spec = await fitTransforms(session, table, config);
  const sql = await sqlOutputs(session, spec, table);
  expect(disagreements(spec, sql, rowOutputs(spec, await jsonRows(session, table)))).toEqual([]);
  return { spec, column: (name) => sql.map((r) => r[name] as OutputValue), rows: sql };
}

function fitted(spec: TransformSpec, step = 0): Record<string, Record<string, unknown>> {
  const s = spec.steps[step] as { fitted?: Record<string, Record<string, unknown>> };
  return s.fitted ?? {};
}

async function checkScalers(session: DuckSession, ref: Record<string, Scaler>): Promise<string[]> {
  const out: string[] = [];
  for (const method of ['standard', 'min_max', 'robust'] as const) {
    const r = ref[method] as Scaler;
    const { spec, column } = await run(session, 'data', {
      steps: [{ type: 'scale', columns: r.columns, method }],
    });
    r.columns.forEach((c, i) => {
      const p = fitted(spec)[c] as { center: number; scale: number };
      out.push(...mismatches(`${method} ${c} center/scale`, [p.center, p.scale], [r.center[i], r.scale[i]]));
      if (r.values) out.push(...mismatches(`${method} ${c}`, column(c), r.values[c] ?? []));
    });
  }
  return out;
}

async function checkImputers(session: DuckSession, ref: Record<string, Imputer>): Promise<string[]> {
  const out: string[] = [];
  for (const strategy of ['mean', 'median', 'most_frequent', 'most_frequent_text'] as const) {
    const r = ref[strategy] as Imputer;
    const config: TransformConfig = {
      steps: [
        {
          type: 'impute',
          columns: r.columns,
          strategy: strategy === 'mean' || strategy === 'median' ? strategy : 'most_frequent',
        },
      ],
    };
    const { spec, column } = await run(session, 'data', config);
    r.columns.forEach((c, i) => {
      out.push(...mismatches(`${strategy} ${c} statistic`, [fitted(spec)[c]?.value], [r.statistics[i]]));
      if (r.values) out.push(...mismatches(`${strategy} ${c}`, column(c), r.values[c] ?? []));
    });
  }
  return out;
}

async function checkEncoders(session: DuckSession, r: Encoders): Promise<string[]> {
  const out: string[] = [];
  const cols = r.columns.map((c) => `"${c}"`).join(', ');
  await session.run(`CREATE OR REPLACE TABLE enc AS SELECT ${cols} FROM data`);
  // The rows with unseen values, typed as the data's columns.
  const unseen = r.unseen.map(
    (row) => `(${row.map((v) => (typeof v === 'string' ? `'${v}'` : v)).join(', ')})`,
  );
  await session.run(
    `CREATE OR REPLACE TABLE unseen AS SELECT * FROM enc LIMIT 0; INSERT INTO unseen VALUES ${unseen.join(', ')}`,
  );
  // scikit-learn counts a missing value as one more category, last: our missing 'category'.
  const oneHot = await run(session, 'enc', {
    steps: [{ type: 'one_hot', columns: r.columns, missing: 'category', unknown: 'ignore' }],
  });
  r.columns.forEach((c, i) => {
    const ours = [...((fitted(oneHot.spec)[c]?.categories as unknown[]) ?? [])];
    const theirs = r.categories[i] ?? [];
    if (theirs.at(-1) === null) ours.push(null);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) out.push(`categories of ${c}: ${ours} vs ${theirs}`);
  });
  const matrix = (rows: Record<string, OutputValue>[], spec: TransformSpec) => {
    // Only the columns a missing value adds when the data had one (scikit-learn adds none otherwise).
    const names = spec.outputs
      .map((o) => o.name)
      .filter((n, k) => !n.endsWith('_null') || hasNull(r, k, spec));
    return rows.flatMap((row) => names.map((n) => row[n]));
  };
  if (r.one_hot) out.push(...mismatches('one_hot', matrix(oneHot.rows, oneHot.spec), r.one_hot));
  const appliedUnseen = await sqlOutputs(session, oneHot.spec, 'unseen');
  out.push(...mismatches('one_hot unseen', matrix(appliedUnseen, oneHot.spec), r.one_hot_unseen));

  const ordinal = await run(session, 'enc', {
    steps: [{ type: 'ordinal', columns: r.columns, unknown: -1 }],
  });
  const ordinalUnseen = await sqlOutputs(session, ordinal.spec, 'unseen');
  for (const c of r.columns) {
    out.push(...mismatches(`ordinal ${c}`, ordinal.column(c), r.ordinal[c] ?? []));
    out.push(
      ...mismatches(
        `ordinal unseen ${c}`,
        ordinalUnseen.map((row) => row[c]),
        r.ordinal_unseen[c] ?? [],
      ),
    );
  }
  return out;
}

function hasNull(r: Encoders, outputIndex: number, spec: TransformSpec): boolean {
  const name = spec.outputs[outputIndex]?.name ?? '';
  const i = r.columns.findIndex((c) => name === `${c}_null`);
  return i >= 0 && (r.categories[i] ?? []).at(-1) === null;
}

async function checkBins(session: DuckSession, r: Bins): Promise<string[]> {
  const { spec, column } = await run(session, 'data', {
    steps: [{ type: 'bucketize', columns: r.columns, quantiles: r.n_bins }],
  });
  return r.columns.flatMap((c, i) => [
    ...mismatches(
      `${c} boundaries`,
      (fitted(spec)[c]?.boundaries as number[]) ?? [],
      (r.edges[i] ?? []).slice(1, -1),
    ),
    ...mismatches(`${c} codes`, column(c), r.codes[c] ?? []),
  ]);
}

async function checkDateParts(
  session: DuckSession,
  column: string,
  r: Parts,
  hours: boolean,
): Promise<string[]> {
  type Part = 'year' | 'month' | 'day' | 'weekday' | 'hour';
  const parts: Part[] = ['year', 'month', 'day', 'weekday', ...(hours ? (['hour'] as const) : [])];
  const { column: values } = await run(session, 'data', {
    steps: [{ type: 'date_parts', columns: [column], parts }],
  });
  return parts.flatMap((p) =>
    mismatches(
      `${column}_${p}`,
      values(`${column}_${p}`).filter((_, i) => i % r.stride === 0),
      r[p],
    ),
  );
}

describe('fitted parameters and values agree with scikit-learn', () => {
  it('penguins.json: scalers, imputers, encoders, log1p, clip', async () => {
    const ref = reference['penguins.json']!;
    await withSession(async (session) => {
      await loadDataset(session, 'penguins.json', 'data');
      const problems = [
        ...(await checkScalers(session, ref.scale!)),
        ...(await checkImputers(session, ref.impute!)),
        ...(await checkEncoders(session, ref.encode!)),
      ];
      const log = await run(session, 'data', { steps: [{ type: 'log', columns: Object.keys(ref.log1p!) }] });
      for (const [c, v] of Object.entries(ref.log1p!))
        problems.push(...mismatches(`log1p ${c}`, log.column(c), v));
      const clip = await run(session, 'data', {
        steps: [{ type: 'clip', columns: Object.keys(ref.clip!), min: 40, max: 200 }],
      });
      for (const [c, v] of Object.entries(ref.clip!))
        problems.push(...mismatches(`clip ${c}`, clip.column(c), v));
      expect(problems.slice(0, 10)).toEqual([]);
    });
  });

  it('cars.json: scalers, imputers, integer categories, date parts', async () => {
    const ref = reference['cars.json']!;
    await withSession(async (session) => {
      await loadDataset(session, 'cars.json', 'data');
      const problems = [
        ...(await checkScalers(session, ref.scale!)),
        ...(await checkImputers(session, ref.impute!)),
        ...(await checkEncoders(session, ref.encode!)),
        ...(await checkDateParts(session, 'Year', ref.date_parts!, false)),
      ];
      expect(problems.slice(0, 10)).toEqual([]);
    });
  });

  it('seattle-weather.csv: quantile bins, encoders, date parts', async () => {
    const ref = reference['seattle-weather.csv']!;
    await withSession(async (session) => {
      await loadDataset(session, 'seattle-weather.csv', 'data');
      const problems = [
        ...(await checkBins(session, ref.bins!)),
        ...(await checkBins(session, ref.bins10!)),
        ...(await checkEncoders(session, ref.encode!)),
        ...(await checkDateParts(session, 'date', ref.date_parts!, false)),
      ];
      expect(problems.slice(0, 10)).toEqual([]);
    });
  });

  it('seattle-weather-hourly-normals.csv: timestamp parts in UTC, quantile bins', async () => {
    const ref = reference['seattle-weather-hourly-normals.csv']!;
    await withSession(async (session) => {
      await loadDataset(session, 'seattle-weather-hourly-normals.csv', 'data');
      const problems = [
        ...(await checkDateParts(session, 'date', ref.date_parts!, true)),
        ...(await checkBins(session, ref.bins!)),
      ];
      expect(problems.slice(0, 10)).toEqual([]);
    });
  });
});
