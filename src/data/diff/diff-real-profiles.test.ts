import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DuckSession, inferSchema, profileTable, readTable, withSession } from '../../columnar/index.js';
import { diffVersions, psiOfCounts, type VersionSummary } from './index.js';

const PENGUINS = join(import.meta.dirname, '../../../node_modules/vega-datasets/data/penguins.json');
const NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];

async function summary(s: DuckSession, table: string, version: number): Promise<VersionSummary> {
  const schema = await inferSchema(s, table);
  const [row] = await s.rows(`SELECT count(*) AS n FROM ${table}`);
  return {
    version,
    rowCount: Number(row?.n),
    schema: schema.columns,
    profile: await profileTable(s, table, schema),
  };
}

/** PSI of `table`'s values binned (numpy.histogram style) into `edges`, plus below and above: no approximation. */
async function binnedPsi(s: DuckSession, table: string, column: string, edges: number[], counts: number[]) {
  const rows = await s.rows(
    `SELECT CAST("${column}" AS DOUBLE) AS v FROM ${table} WHERE "${column}" IS NOT NULL`,
  );
  const binned = new Array<number>(edges.length + 1).fill(0);
  for (const { v } of rows) {
    const x = Number(v);
    const k = x === edges.at(-1) ? edges.length - 1 : edges.findIndex((e) => x < e);
    binned[k === -1 ? edges.length : k]! += 1;
  }
  return psiOfCounts([0, ...counts, 0], binned);
}

describe('diffVersions on real profiles (penguins, then penguins without Gentoo)', () => {
  it('reports the shift the filter made', async () => {
    await withSession(async (s) => {
      await readTable(s, { path: PENGUINS, format: 'json', table: 'v1' });
      await s.run(`CREATE TABLE v2 AS SELECT * FROM v1 WHERE "Species" <> 'Gentoo'`);
      const from = await summary(s, 'v1', 1);
      const to = await summary(s, 'v2', 2);
      const diff = diffVersions(from, to);

      expect(diff.row_count).toEqual({ from: 344, to: 220, delta: -124 });
      expect(diff.schema.unchanged).toBe(true);
      const species = diff.columns.find((c) => c.name === 'Species')!;
      expect(species.distinct).toEqual({ from: 3, to: 2, delta: -1 });
      expect(species.categories?.left).toEqual(['Gentoo']);
      expect(species.categories?.shares.find((x) => x.value === 'Gentoo')).toMatchObject({
        from: 124 / 344,
        to: 0,
      });
      expect(species.psi).toMatchObject({ method: 'categories', approximate: false });
      expect(species.psi.value).toBeCloseTo(psiOfCounts([152, 124, 68], [152, 0, 68])!, 12);

      for (const name of NUMERIC) {
        const c = diff.columns.find((x) => x.name === name)!;
        const a = from.profile!.columns.find((x) => x.name === name)!.numeric!;
        const b = to.profile!.columns.find((x) => x.name === name)!.numeric!;
        expect(c.numeric?.mean, name).toEqual({ from: a.mean, to: b.mean, delta: b.mean! - a.mean! });
        // Each version's histogram spans its own range: these edges differ, so the PSI is re-binned...
        expect(c.psi, name).toMatchObject({ method: 'rebinned', approximate: true });
        // ...and close to the PSI of v2's actual values binned into v1's edges (measured gaps: 0.004-0.04).
        const exact = await binnedPsi(s, 'v2', name, a.histogram!.edges, a.histogram!.counts);
        expect(Math.abs(c.psi.value! - exact!), name).toBeLessThan(0.05);
        // Gentoo are the large penguins: removing them is a major shift by the usual 0.25 threshold.
        expect(c.psi.value!, name).toBeGreaterThan(0.25);
      }
    });
  });

  it('finds no change between a version and itself', async () => {
    await withSession(async (s) => {
      await readTable(s, { path: PENGUINS, format: 'json', table: 'v1' });
      const v = await summary(s, 'v1', 1);
      const diff = diffVersions(v, { ...v, version: 2 });
      expect(diff.schema.unchanged).toBe(true);
      for (const c of diff.columns) {
        if (c.psi.method !== null) expect(c.psi, c.name).toMatchObject({ value: 0, approximate: false });
        expect(c.missing_fraction?.delta, c.name).toBe(0);
      }
      expect(diff.columns.filter((c) => c.psi.method === 'exact')).toHaveLength(NUMERIC.length);
    });
  });
});
