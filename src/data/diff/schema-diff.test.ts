import { describe, expect, it } from 'vitest';
import type { ColumnSchema } from '../../columnar/index.js';
import { diffSchemas } from './index.js';

const col = (name: string, type: ColumnSchema['type'], kind: ColumnSchema['kind'], nullable = false) => ({
  name,
  type,
  kind,
  nullable,
});

describe('schema diff', () => {
  it('names every kind of change', () => {
    const from = [
      col('id', 'integer', 'numeric'),
      col('name', 'string', 'categorical'),
      col('score', 'float', 'numeric'),
      col('old', 'string', 'text'),
    ];
    const to = [
      col('score', 'integer', 'numeric'),
      col('id', 'integer', 'numeric'),
      col('name', 'string', 'text', true),
      col('new', 'boolean', 'boolean'),
    ];
    expect(diffSchemas(from, to)).toEqual({
      added: [{ ...col('new', 'boolean', 'boolean'), position: 3 }],
      removed: [{ ...col('old', 'string', 'text'), position: 3 }],
      type_changed: [{ name: 'score', from: 'float', to: 'integer' }],
      kind_changed: [{ name: 'name', from: 'categorical', to: 'text' }],
      nullability_changed: [{ name: 'name', from: false, to: true }],
      moved: [
        { name: 'score', from: 2, to: 0 },
        { name: 'id', from: 0, to: 1 },
        { name: 'name', from: 1, to: 2 },
      ],
      order_changed: true,
      unchanged: false,
    });
  });

  it('tells a shift from a reordering', () => {
    const a = col('a', 'integer', 'numeric');
    const b = col('b', 'integer', 'numeric');
    const diff = diffSchemas([a, b], [col('x', 'date', 'datetime'), a, b]);
    expect(diff.moved).toEqual([
      { name: 'a', from: 0, to: 1 },
      { name: 'b', from: 1, to: 2 },
    ]);
    expect(diff.order_changed).toBe(false);
  });

  it('matches names exactly and reports an identical schema as unchanged', () => {
    const a = [col('a', 'integer', 'numeric')];
    expect(diffSchemas(a, a).unchanged).toBe(true);
    const renamed = diffSchemas(a, [col('A', 'integer', 'numeric')]);
    expect([renamed.added.map((c) => c.name), renamed.removed.map((c) => c.name)]).toEqual([['A'], ['a']]);
  });
});
