import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferSchema, readTable, withSession } from './index.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');

describe('seattle-weather.csv', () => {
  it('detects dates, categories and floats', async () => {
    await withSession(async (s) => {
      const { table, rowCount } = await readTable(s, {
        path: join(DATA, 'seattle-weather.csv'),
        format: 'csv',
      });
      expect(rowCount).toBe(1461);
      const schema = await inferSchema(s, table);
      const byName = Object.fromEntries(schema.columns.map((c) => [c.name, c]));
      expect(byName.date).toEqual({ name: 'date', type: 'date', nullable: false, kind: 'datetime' });
      expect(byName.weather).toMatchObject({ type: 'string', kind: 'categorical' });
      for (const name of ['precipitation', 'temp_max', 'temp_min', 'wind']) {
        expect(byName[name]).toMatchObject({ type: 'float', kind: 'numeric' });
      }
    });
  });
});
