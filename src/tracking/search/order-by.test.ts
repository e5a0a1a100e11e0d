import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import { parseOrderBy } from './order-by.js';

function failure(clauses: string[]): CyclopsError {
  try {
    parseOrderBy(clauses);
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    return err as CyclopsError;
  }
  throw new Error('expected a rejection');
}

describe('parseOrderBy', () => {
  it('parses entities, quoted keys and directions, ASC by default', () => {
    expect(
      parseOrderBy([
        'metrics.loss',
        'metrics.`val loss` DESC',
        'params.lr ASC',
        'attributes.start_time',
        'tags.x desc',
        'tags.mlflow.runName',
        'metrics."a b" asc',
        'end_time DESC',
        'attributes.`Run name`',
        'created',
      ]),
    ).toEqual([
      { entity: 'metric', key: 'loss', ascending: true },
      { entity: 'metric', key: 'val loss', ascending: false },
      { entity: 'param', key: 'lr', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: true },
      { entity: 'tag', key: 'x', ascending: false },
      { entity: 'tag', key: 'mlflow.runName', ascending: true },
      { entity: 'metric', key: 'a b', ascending: true },
      { entity: 'attribute', key: 'end_time', ascending: false },
      { entity: 'attribute', key: 'run_name', ascending: true },
      { entity: 'attribute', key: 'start_time', ascending: true },
    ]);
    expect(parseOrderBy([])).toEqual([]);
  });

  it('names the clause, its index and the position in errors', () => {
    const err = failure(['metrics.a', 'metrics.val loss DESC']);
    expect(err.code).toBe('invalid_argument');
    expect(err.details).toEqual({ field: 'order_by', position: 13, index: 1 });
    expect(err.message).toMatch(
      /^Invalid order_by clause "metrics.val loss DESC": Unexpected 'loss' at position 13/,
    );
  });

  it.each([
    ['', /Empty order_by clause/],
    ['foo.bar', /Invalid entity type 'foo' at position 1/],
    ['attributes.colour', /Invalid attribute key 'colour' at position 12/],
    ['metrics.a DESC ASC', /Unexpected 'ASC' at position 16: expected the end of the clause/],
    ['metrics.a sideways', /Unexpected 'sideways' at position 11: expected ASC, DESC/],
    ['metrics.`a', /Unterminated quoted identifier/],
  ])('rejects %j', (clause, message) => {
    const err = failure([clause]);
    expect(err.details.field).toBe('order_by');
    expect(err.details.index).toBe(0);
    expect(err.message).toMatch(message);
  });
});
