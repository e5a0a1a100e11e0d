import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import type { FilterComparison } from './filter-ast.js';
import { parseFilter } from './filter-parser.js';

/** The single comparison of a filter, without its position. */
function one(text: string): Omit<FilterComparison, 'position'> {
  const { and } = parseFilter(text);
  expect(and).toHaveLength(1);
  const { position: _position, ...rest } = and[0]!;
  return rest;
}

function failure(text: string): CyclopsError {
  try {
    parseFilter(text);
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    return err as CyclopsError;
  }
  throw new Error(`expected ${text} to be rejected`);
}

function expectError(text: string, message: string | RegExp, position: number): void {
  const err = failure(text);
  expect(err.code).toBe('invalid_argument');
  expect(err.details).toEqual({ field: 'filter', position });
  expect(err.message).toMatch(message);
  expect(err.message).toContain(`position ${position}`);
}

describe('parseFilter', () => {
  it('treats an empty or blank filter as an empty conjunction', () => {
    expect(parseFilter('')).toEqual({ and: [] });
    expect(parseFilter('  \n\t ')).toEqual({ and: [] });
  });

  it.each(['=', '!=', '<', '<=', '>', '>='] as const)('parses the numeric comparator %s on metrics', (op) => {
    expect(one(`metrics.acc ${op} 0.5`)).toEqual({ entity: 'metric', key: 'acc', op, value: 0.5 });
  });

  it.each(['=', '!=', 'LIKE', 'ILIKE'] as const)(
    'parses the string comparator %s on params and tags',
    (op) => {
      expect(one(`params.lr ${op} '0.01'`)).toEqual({ entity: 'param', key: 'lr', op, value: '0.01' });
      expect(one(`tags.team ${op} "ml"`)).toEqual({ entity: 'tag', key: 'team', op, value: 'ml' });
    },
  );

  it('parses IN and NOT IN lists with either quote', () => {
    expect(one(`params.opt IN ('adam', "sgd")`)).toEqual({
      entity: 'param',
      key: 'opt',
      op: 'IN',
      value: ['adam', 'sgd'],
    });
    expect(one(`attributes.status NOT IN ('FAILED')`)).toEqual({
      entity: 'attribute',
      key: 'status',
      op: 'NOT IN',
      value: ['FAILED'],
    });
    expect(one(`params.opt in('a','b' , 'c')`).value).toEqual(['a', 'b', 'c']);
  });

  it('parses IS NULL and IS NOT NULL on params and tags', () => {
    expect(one('tags.note IS NULL')).toEqual({ entity: 'tag', key: 'note', op: 'IS NULL', value: null });
    expect(one('params.seed IS NOT NULL')).toEqual({
      entity: 'param',
      key: 'seed',
      op: 'IS NOT NULL',
      value: null,
    });
  });

  it('reads keywords in any case', () => {
    const { and } = parseFilter(
      "params.a like 'x%' and params.b IlIkE 'y' AnD params.c not in ('z') and tags.d is not null and params.e In ('f')",
    );
    expect(and.map((c) => c.op)).toEqual(['LIKE', 'ILIKE', 'NOT IN', 'IS NOT NULL', 'IN']);
  });

  it.each([
    ['metric', 'metric'],
    ['metrics', 'metric'],
    ['param', 'param'],
    ['params', 'param'],
    ['parameter', 'param'],
    ['parameters', 'param'],
    ['tag', 'tag'],
    ['tags', 'tag'],
  ] as const)('accepts the entity prefix %s', (prefix, entity) => {
    const value = entity === 'metric' ? '1' : "'1'";
    expect(one(`${prefix}.k = ${value}`)).toMatchObject({ entity, key: 'k' });
  });

  it.each(['attribute', 'attributes', 'attr', 'run'])('accepts the attribute prefix %s', (prefix) => {
    expect(one(`${prefix}.status = 'FINISHED'`)).toEqual({
      entity: 'attribute',
      key: 'status',
      op: '=',
      value: 'FINISHED',
    });
  });

  it('accepts a backticked entity and a bare attribute', () => {
    expect(one('`metrics`.acc > 1')).toMatchObject({ entity: 'metric', key: 'acc' });
    expect(one("status = 'RUNNING'")).toMatchObject({ entity: 'attribute', key: 'status' });
  });

  it('resolves attribute aliases and types', () => {
    expect(one('attributes."run name" = \'a\'')).toMatchObject({ key: 'run_name', value: 'a' });
    expect(one("attributes.`Run Name` LIKE 'a%'")).toMatchObject({ key: 'run_name', op: 'LIKE' });
    expect(one("attributes.run_name ILIKE 'a%'")).toMatchObject({ key: 'run_name' });
    expect(one('attributes.created >= 5')).toMatchObject({ key: 'start_time', value: 5 });
    expect(one('attributes.end_time < 1700000000000')).toMatchObject({
      key: 'end_time',
      value: 1700000000000,
    });
    expect(one("run.run_id IN ('a', 'b')")).toMatchObject({ key: 'run_id', op: 'IN' });
    expect(one("attr.user_id != 'bob'")).toMatchObject({ key: 'user_id', op: '!=' });
    expect(one("attr.artifact_uri LIKE 's3://%'")).toMatchObject({ key: 'artifact_uri' });
  });

  it('reads backticked and double-quoted keys with spaces, dashes and slashes', () => {
    expect(one('metrics.`val loss` < 1')).toMatchObject({ key: 'val loss' });
    expect(one('metrics."val loss" < 1')).toMatchObject({ key: 'val loss' });
    expect(one("params.`model/lr-max` = '1'")).toMatchObject({ key: 'model/lr-max' });
    expect(one('metrics.`a``b` < 1')).toMatchObject({ key: 'a`b' });
  });

  it('keeps dots in keys after the entity prefix', () => {
    expect(one("tags.mlflow.runName = 'x'")).toMatchObject({ entity: 'tag', key: 'mlflow.runName' });
    expect(one("tags.mlflow.source.`git commit` = 'x'")).toMatchObject({ key: 'mlflow.source.git commit' });
    expect(one('metrics.1st_epoch.acc > 0')).toMatchObject({ key: '1st_epoch.acc' });
  });

  it.each([
    ['0', 0],
    ['42', 42],
    ['-3', -3],
    ['0.25', 0.25],
    ['-0.5', -0.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
    ['-1e+2', -100],
  ])('reads the number %s', (text, value) => {
    expect(one(`metrics.m > ${text}`).value).toBe(value);
    expect(one(`metrics.m>${text}`).value).toBe(value);
  });

  it('reads strings with doubled quotes and literal backslashes', () => {
    expect(one("params.p = 'it''s'").value).toBe("it's");
    expect(one('params.p = "say ""hi"""').value).toBe('say "hi"');
    expect(one("params.p = 'C:\\dir'").value).toBe('C:\\dir');
    expect(one("params.p = ''").value).toBe('');
  });

  it('joins comparisons with AND and records 1-based positions', () => {
    const { and } = parseFilter("metrics.acc > 0.9 AND params.lr = '0.01'  and tags.t != 'x'");
    expect(and).toEqual([
      { entity: 'metric', key: 'acc', op: '>', value: 0.9, position: 1 },
      { entity: 'param', key: 'lr', op: '=', value: '0.01', position: 23 },
      { entity: 'tag', key: 't', op: '!=', value: 'x', position: 47 },
    ]);
  });

  describe('errors', () => {
    it('rejects an unknown entity', () => {
      expectError('foo.bar = 1', /^Invalid entity type 'foo' at position 1: valid types are metric/, 1);
    });

    it('rejects an unknown attribute, bare or prefixed', () => {
      expectError(
        "attributes.colour = 'x'",
        /Invalid attribute key 'colour' at position 12: valid keys are status/,
        12,
      );
      expectError("constructor = 'x'", /Invalid attribute key 'constructor'/, 1);
    });

    it('rejects OR with advice', () => {
      expectError('metrics.a > 1 OR metrics.b < 2', /^'OR' is not supported at position 15: .*AND only/, 15);
      expectError('metrics.a > 1 or metrics.b < 2', /^'or' is not supported/, 15);
    });

    it('rejects an unterminated string or quoted key', () => {
      expectError("params.lr = '0.01", /^Unterminated string '0\.01 starting at position 13/, 13);
      expectError('params.lr = "0.01', /^Unterminated string "0\.01 starting at position 13/, 13);
      expectError(
        'metrics.`val loss > 1',
        /^Unterminated quoted identifier `val loss > 1 starting at position 9/,
        9,
      );
    });

    it('rejects a numeric comparator on a param or tag', () => {
      expectError(
        "params.lr > '0.1'",
        /^Invalid comparator '>' for param 'lr' at position 11: expected one of =, !=, LIKE, ILIKE, IN/,
        11,
      );
      expectError("tags.t <= 'a'", /^Invalid comparator '<=' for tag 't' at position 8/, 8);
      expectError(
        "attributes.status < 'a'",
        /^Invalid comparator '<' for attribute 'status' at position 19/,
        19,
      );
    });

    it('rejects a string value on a metric or numeric attribute', () => {
      expectError(
        "metrics.acc > '0.9'",
        /^Expected a numeric value for metric 'acc' but found the string '0\.9' at position 15/,
        15,
      );
      expectError('metrics.acc > high', /^Expected a numeric value for metric 'acc' but found 'high'/, 15);
      expectError("attributes.start_time > '5'", /^Expected a numeric value for attribute 'start_time'/, 25);
      expectError(
        'attributes.start_time > 1.5',
        /^Expected an integer for attribute 'start_time' but found '1\.5'/,
        25,
      );
    });

    it('rejects LIKE, IN and IS NULL on a metric', () => {
      expectError(
        "metrics.acc LIKE '0.9'",
        /^Invalid comparator 'LIKE' for metric 'acc' at position 13: expected one of =, !=, <, <=, >, >=$/,
        13,
      );
      expectError("metrics.acc in ('1')", /^Invalid comparator 'IN' for metric 'acc' at position 13/, 13);
      expectError('metrics.acc IS NULL', /^Invalid comparator 'IS NULL' for metric 'acc'/, 13);
      expectError(
        'attributes.end_time IS NULL',
        /^Invalid comparator 'IS NULL' for attribute 'end_time'/,
        21,
      );
      expectError('attributes.status IS NULL', /^Invalid comparator 'IS NULL' for attribute 'status'/, 19);
    });

    it('rejects an unquoted or numeric value for a param', () => {
      expectError(
        'params.lr = 0.01',
        /^Expected a quoted string value for param 'lr' but found '0\.01' at position 13/,
        13,
      );
      expectError('params.lr = adam', /^Expected a quoted string value for param 'lr' but found 'adam'/, 13);
    });

    it('rejects garbage after a comparison', () => {
      expectError(
        'metrics.a > 1 foo',
        /^Unexpected 'foo' at position 15: expected AND or the end of the filter$/,
        15,
      );
      expectError("params.a = 'x' 'y'", /^Unexpected 'y' at position 16/, 16);
      expectError('metrics.a > 1 )', /^Unexpected '\)' at position 15/, 15);
    });

    it('rejects a dangling AND and a missing value', () => {
      expectError(
        'metrics.a > 1 AND',
        /^Expected an identifier such as metrics.<key> but found the end of the filter at position 18/,
        18,
      );
      expectError('AND metrics.a > 1', /^Invalid attribute key 'AND' at position 1/, 1);
      expectError(
        'metrics.a >',
        /^Expected a numeric value for metric 'a' but found the end of the filter at position 12/,
        12,
      );
    });

    it('rejects a key with spaces or dashes left bare', () => {
      expectError(
        'metrics.val loss > 1',
        /^Expected a comparison operator after 'metrics.val' but found 'loss' at position 13: quote keys/,
        13,
      );
      expectError('metrics.val-loss > 1', /^Unexpected character '-' at position 12: quote keys/, 12);
      expectError('metrics.a/b > 1', /^Unexpected character '\/' at position 10/, 10);
    });

    it('rejects malformed identifiers', () => {
      expectError('metrics > 1', /^Expected a key after 'metrics' \(as in metrics.<key>\) at position 9/, 9);
      expectError('metrics. > 1', /^Expected a key after 'metrics.' but found '>' at position 10/, 10);
      expectError('metrics.`` > 1', /^Empty key in 'metrics.``' at position 9/, 9);
      expectError("= 'x'", /^Expected an identifier such as metrics.<key> but found '=' at position 1/, 1);
    });

    it('rejects comparators MLflow does not have', () => {
      expectError('metrics.a <> 1', /^Invalid comparator '<>' at position 11: use '!='$/, 11);
      expectError('metrics.a == 1', /^Invalid comparator '==' at position 11: use '='$/, 11);
      expectError("params.a NOT LIKE 'x'", /^Expected IN after 'NOT' but found 'LIKE' at position 14/, 14);
      expectError('tags.a IS 1', /^Expected NULL after 'IS' but found '1' at position 11/, 11);
    });

    it('rejects malformed IN lists', () => {
      expectError(
        "params.a IN 'x'",
        /^Expected a parenthesised list after IN but found the string 'x' at position 13/,
        13,
      );
      expectError('params.a IN ()', /^Empty list after IN at position 14/, 14);
      expectError(
        "params.a IN ('x',)",
        /^Expected a quoted string value for param 'a' but found '\)' at position 18/,
        18,
      );
      expectError(
        "params.a IN ('x' 'y')",
        /^Expected ',' or '\)' in the IN list but found the string 'y' at position 18/,
        18,
      );
      expectError("params.a IN ('x', 1)", /^Expected a quoted string value for param 'a' but found '1'/, 19);
      expectError(
        "params.a IN ('x'",
        /^Expected ',' or '\)' in the IN list but found the end of the filter/,
        17,
      );
    });

    it('rejects malformed numbers and stray characters', () => {
      expectError('metrics.a > 1.2.3', /^Invalid number '1\.2\.3' at position 13/, 13);
      expectError('metrics.a > 12abc', /^Invalid number '12abc' at position 13/, 13);
      expectError('metrics.a > 1;', /^Unexpected character ';' at position 14/, 14);
      expectError(
        '(metrics.a > 1)',
        /^Expected an identifier such as metrics.<key> but found '\(' at position 1/,
        1,
      );
    });
  });
});
