import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSession } from '../../columnar/index.js';
import type { SplitSpec } from '../../contracts/index.js';
import { splitTable } from './index.js';
import { assignment, loadSample, type Sample } from './split-data.fixture.js';

// Written by test/fixtures/split-reference.py from the documented hash scheme with Python's hashlib:
// agreement row for row shows the scheme is what the docs say, and reproducible without DuckDB.
const REFERENCE = join(import.meta.dirname, '../../../test/fixtures/split-reference.json');

interface ReferenceCase {
  data: Sample;
  spec: SplitSpec;
  /** One letter per row: t, v, s (test), '-' dropped between the boundaries, 'n' dropped with no time. */
  labels: string;
}

const count = (text: string, letter: string) => [...text].filter((c) => c === letter).length;

describe('splits agree with the independent Python reference', async () => {
  const reference = JSON.parse(await readFile(REFERENCE, 'utf8')) as Record<string, ReferenceCase>;

  it('covers every method', () => {
    const methods = new Set(Object.values(reference).map((c) => c.spec.method));
    expect([...methods].sort()).toEqual(['random', 'stratified', 'time']);
  });

  for (const [name, ref] of Object.entries(reference)) {
    it(name, async () => {
      await withSession(async (s) => {
        const parent = await loadSample(s, ref.data);
        expect(parent.rowCount).toBe(ref.labels.length);
        const result = await splitTable(s, parent.table, parent.schema, ref.spec);
        const { labels, ordered } = await assignment(s, result, parent.rowCount);
        expect(labels).toBe(ref.labels.replaceAll(/[-n]/g, '.'));
        expect(ordered).toBe(true);
        expect(result.dropped).toEqual({
          missingTime: count(ref.labels, 'n'),
          betweenBoundaries: count(ref.labels, '-'),
        });
        for (const split of result.splits) {
          expect(split.rowCount, split.name).toBe(
            count(ref.labels, split.name === 'test' ? 's' : split.name[0]!),
          );
        }
      });
    });
  }
});
