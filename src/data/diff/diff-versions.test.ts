import { describe, expect, it } from 'vitest';
import type { ColumnProfile, ColumnSchema, NumericProfile, TableProfile } from '../../columnar/index.js';
import { diffVersions, PSI_EPSILON, type VersionSummary } from './index.js';

const term = (p: number, q: number) => (q - p) * Math.log(q / p);

function numeric(over: Partial<NumericProfile>): NumericProfile {
  return { infinite: 0, min: 0, max: 4, mean: 2, std: 1, quantiles: [], histogram: null, ...over };
}

function version(
  v: number,
  rowCount: number,
  columns: ColumnProfile[] | null,
  schema?: ColumnSchema[],
): VersionSummary {
  const profile: TableProfile | null = columns && { columns, correlations: { columns: [], values: [] } };
  return {
    version: v,
    rowCount,
    schema:
      schema ??
      (columns ?? []).map((c) => ({ name: c.name, type: c.type, kind: c.kind, nullable: c.missing > 0 })),
    profile,
  };
}

const FROM: ColumnProfile[] = [
  {
    name: 'x',
    type: 'integer',
    kind: 'numeric',
    count: 8,
    missing: 2,
    distinct: 5,
    numeric: numeric({
      mean: 2,
      std: 1.5,
      quantiles: [{ p: 0.5, value: 2 }],
      histogram: { edges: [0, 2, 4], counts: [4, 4] },
    }),
  },
  {
    name: 'c',
    type: 'string',
    kind: 'categorical',
    count: 10,
    missing: 0,
    distinct: 2,
    top: [
      { value: 'a', count: 6 },
      { value: 'b', count: 4 },
    ],
  },
  {
    name: 'd',
    type: 'date',
    kind: 'datetime',
    count: 10,
    missing: 0,
    distinct: 10,
    range: { min: '2024-01-01', max: '2024-01-31' },
  },
  {
    name: 't',
    type: 'string',
    kind: 'text',
    count: 10,
    missing: 0,
    distinct: 10,
    top: [{ value: 'p', count: 1 }],
  },
];

const TO: ColumnProfile[] = [
  {
    name: 'x',
    type: 'integer',
    kind: 'numeric',
    count: 10,
    missing: 2,
    distinct: 6,
    numeric: numeric({
      mean: 3,
      std: 1,
      quantiles: [{ p: 0.5, value: 3 }],
      histogram: { edges: [0, 2, 4], counts: [2, 8] },
    }),
  },
  {
    name: 'c',
    type: 'string',
    kind: 'categorical',
    count: 12,
    missing: 0,
    distinct: 3,
    top: [
      { value: 'b', count: 6 },
      { value: 'a', count: 4 },
      { value: 'z', count: 2 },
    ],
  },
  {
    name: 'd',
    type: 'date',
    kind: 'datetime',
    count: 12,
    missing: 0,
    distinct: 12,
    range: { min: '2024-02-01', max: '2024-02-29' },
  },
  {
    name: 't',
    type: 'string',
    kind: 'text',
    count: 12,
    missing: 0,
    distinct: 12,
    top: [{ value: 'q', count: 1 }],
  },
];

describe('diffVersions on hand-built profiles', () => {
  const diff = diffVersions(version(3, 10, FROM), version(5, 12, TO));
  const column = (name: string) => diff.columns.find((c) => c.name === name)!;

  it('reports versions, rows and an unchanged schema', () => {
    expect(diff).toMatchObject({
      from_version: 3,
      to_version: 5,
      row_count: { from: 10, to: 12, delta: 2 },
      profiles: { from: true, to: true },
    });
    expect(diff.schema.unchanged).toBe(true);
    expect(diff.columns.map((c) => c.name)).toEqual(['x', 'c', 'd', 't']);
  });

  it('compares numeric statistics and computes an exact PSI on equal edges', () => {
    const x = column('x');
    expect(x.missing_fraction).toEqual({ from: 0.2, to: 2 / 12, delta: 2 / 12 - 0.2 });
    expect(x.distinct).toEqual({ from: 5, to: 6, delta: 1 });
    expect(x.numeric).toEqual({
      mean: { from: 2, to: 3, delta: 1 },
      std: { from: 1.5, to: 1, delta: -0.5 },
      min: { from: 0, to: 0, delta: 0 },
      max: { from: 4, to: 4, delta: 0 },
      median: { from: 2, to: 3, delta: 1 },
    });
    expect(x.categories).toBeNull();
    expect(x.psi).toMatchObject({ method: 'exact', approximate: false, reason: null });
    // p = (0.5, 0.5), q = (0.2, 0.8).
    expect(x.psi.value).toBeCloseTo(0.3 * Math.log(4), 15);
  });

  it('compares top categories: mode, entries, exits, shares, and a PSI when every category is listed', () => {
    const c = column('c');
    expect(c.categories).toEqual({
      mode: { from: 'a', to: 'b' },
      entered: ['z'],
      left: [],
      shares: [
        { value: 'b', from: 0.4, to: 0.5, delta: 0.5 - 0.4 },
        { value: 'a', from: 0.6, to: 4 / 12, delta: 4 / 12 - 0.6 },
        // "from" lists all its values, so z's share there is known to be 0.
        { value: 'z', from: 0, to: 2 / 12, delta: 2 / 12 },
      ],
    });
    expect(c.psi).toMatchObject({ method: 'categories', approximate: false });
    expect(c.psi.value).toBeCloseTo(term(0.6, 4 / 12) + term(0.4, 0.5) + term(PSI_EPSILON, 2 / 12), 12);
  });

  it('leaves unknown shares and PSI null when the top values are not all values', () => {
    const t = column('t');
    expect(t.categories?.shares).toEqual([
      { value: 'q', from: null, to: 1 / 12, delta: null },
      { value: 'p', from: 0.1, to: null, delta: null },
    ]);
    expect(t.psi).toMatchObject({ value: null, method: null });
    expect(t.psi.reason).toContain('more distinct values than the profiles list');
  });

  it('compares datetime ranges, with no PSI', () => {
    const d = column('d');
    expect(d.range).toEqual({
      min: { from: '2024-01-01', to: '2024-02-01' },
      max: { from: '2024-01-31', to: '2024-02-29' },
    });
    expect(d.numeric).toBeNull();
    expect(d.psi.value).toBeNull();
    expect(d.psi.reason).toContain('datetime');
  });
});

describe('diffVersions when statistics are missing', () => {
  it('keeps the columns with null statistics when a version has no profile', () => {
    const diff = diffVersions(version(1, 10, FROM), version(2, 12, null, version(0, 0, TO).schema));
    expect(diff.profiles).toEqual({ from: true, to: false });
    expect(diff.columns).toHaveLength(4);
    expect(diff.columns[0]).toEqual({
      name: 'x',
      missing_fraction: null,
      distinct: null,
      numeric: null,
      categories: null,
      range: null,
      psi: { value: null, method: null, approximate: false, reason: "version 2 has no profile of 'x'" },
    });
  });

  it('says why there is no PSI: a changed kind, a side with no finite value', () => {
    const x = FROM[0]!;
    const asText: ColumnProfile = { ...x, type: 'string', kind: 'categorical', numeric: undefined, top: [] };
    const kind = diffVersions(version(1, 10, [x]), version(2, 10, [asText]));
    expect(kind.schema.kind_changed).toEqual([{ name: 'x', from: 'numeric', to: 'categorical' }]);
    expect(kind.schema.type_changed).toEqual([{ name: 'x', from: 'integer', to: 'string' }]);
    expect(kind.columns[0]?.psi.reason).toBe("'x' changed kind from numeric to categorical");

    const empty: ColumnProfile = {
      ...x,
      count: 0,
      missing: 10,
      distinct: 0,
      numeric: numeric({ min: null, max: null, mean: null, std: null }),
    };
    const none = diffVersions(version(1, 10, [x]), version(2, 10, [empty]));
    expect(none.columns[0]?.psi.reason).toBe("version 2 has no finite value of 'x' (no histogram)");
    expect(none.columns[0]?.numeric?.mean).toEqual({ from: 2, to: null, delta: null });
    expect(none.columns[0]?.missing_fraction).toEqual({ from: 0.2, to: 1, delta: 0.8 });
  });

  it('keeps every number finite', () => {
    const x = FROM[0]!;
    const huge = (mean: number): ColumnProfile => ({ ...x, numeric: numeric({ ...x.numeric, mean }) });
    const diff = diffVersions(version(1, 10, [huge(1e308)]), version(2, 10, [huge(-1e308)]));
    expect(diff.columns[0]?.numeric?.mean).toEqual({ from: 1e308, to: -1e308, delta: null });
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });
});
