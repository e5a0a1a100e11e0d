import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DuckSession, inferSchema, withSession } from '../../columnar/index.js';
import type { ValidationReport, ValidationRule } from '../../contracts/index.js';
import { CyclopsError } from '../../core/index.js';
import { validateTable } from './index.js';

const TABLE = `CREATE TABLE t AS SELECT age::BIGINT AS age, city FROM (VALUES (30, 'Oslo'), (NULL, 'Rome'), (17, 'x')) v(age, city)`;

async function run(session: DuckSession, rules: ValidationRule[]): Promise<ValidationReport> {
  const { columns } = await inferSchema(session, 't');
  return validateTable(session, 't', rules, { schema: columns });
}

/** The error validating `predicate` (after a passing rule, so the index is 1), in a fresh session. */
async function predicateError(predicate: string): Promise<CyclopsError> {
  return withSession(async (s) => {
    await s.run(TABLE);
    const err = await run(s, [
      { type: 'not_null', column: 'city' },
      { type: 'sql', predicate },
    ]).catch((e) => e);
    if (!(err instanceof CyclopsError)) throw new Error(`expected a CyclopsError, got ${String(err)}`);
    expect(err.code).toBe('invalid_argument');
    expect(err.details.field).toBe('rules[1].predicate');
    expect(err.message.startsWith('rules[1].predicate: ')).toBe(true);
    // The table is still there, whole.
    expect(await s.rows('SELECT count(*) AS n FROM t')).toEqual([{ n: 3n }]);
    return err;
  });
}

describe('custom SQL rules', () => {
  it('fails rows where the predicate is false or NULL', async () => {
    const report = await withSession(async (s) => {
      await s.run(TABLE);
      return run(s, [
        { type: 'sql', predicate: 'age >= 18' },
        { type: 'sql', predicate: 'age >= 18 -- adults only' },
        { type: 'sql', predicate: "coalesce(age, 0) >= 0 AND city <> ''" },
      ]);
    });
    expect(report.results.map((r) => [r.failing_count, r.samples.map((x) => x.row)])).toEqual([
      [2, [1, 2]],
      [2, [1, 2]],
      [0, []],
    ]);
  });

  it.each([
    ['age >', /not a valid SQL expression: syntax error/],
    ['nosuch > 1', /Referenced column "nosuch" not found/],
    ['age + 1', /the predicate is BIGINT, not a boolean expression/],
    ['age > avg(age)', /aggregate/i],
    ['row_number() OVER () > 1', /window/i],
    ['age > ?', /parameters/],
  ])('refuses %j, naming the rule', async (predicate, message) => {
    expect((await predicateError(predicate)).message).toMatch(message);
  });

  it.each([
    ['1=1); DROP TABLE t; (SELECT 1', /one SQL expression, not statements/],
    ['true); DROP TABLE t; --', /one SQL expression|syntax error/],
    ['true) FROM t WHERE (true', /must be one SQL expression/],
    ['true) UNION ALL SELECT (false', /must be one SQL expression/],
    ['true) LIMIT (0', /must be one SQL expression/],
    ['true), (1', /must be one SQL expression/],
    ['true) --', /syntax error/],
    ['true /*', /syntax error|unterminated/i],
  ])('refuses the injection %j and leaves the table alone', async (predicate, message) => {
    expect((await predicateError(predicate)).message).toMatch(message);
  });

  it.each([
    "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0",
    "EXISTS (SELECT 1 FROM glob('/etc/*'))",
    "(SELECT length(content) FROM read_text('/etc/passwd')) > 0",
    "(SELECT count(*) FROM read_parquet('https://example.com/x.parquet')) > 0",
  ])('refuses file and network access: %j', async (predicate) => {
    expect((await predicateError(predicate)).message).toMatch(
      /file system operations are disabled|Permission/,
    );
  });

  it('names the rule whose predicate fails while it runs', async () => {
    const err = await predicateError('CAST(city AS BIGINT) > 0');
    expect(err.message).toMatch(/Could not convert string 'Oslo'/);
  });

  it('locks the session down for the rest of its life', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cyclops-validation-'));
    try {
      await withSession(async (s) => {
        await s.run(TABLE);
        await run(s, [{ type: 'sql', predicate: 'age > 0' }]);
        const out = join(dir, 'out.csv');
        await expect(s.run(`COPY t TO '${out}'`)).rejects.toThrow(/disabled/);
        await expect(stat(out)).rejects.toThrow();
        await expect(s.run('SET enable_external_access = true')).rejects.toThrow(/locked|Cannot/);
        await expect(s.run('RESET lock_configuration')).rejects.toThrow(/locked/);
        // A second validation in the locked session still runs.
        const again = await run(s, [{ type: 'sql', predicate: 'age > 20' }]);
        expect(again.results[0]?.failing_count).toBe(2);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves a session without custom SQL rules as it was', async () => {
    await withSession(async (s) => {
      await s.run(TABLE);
      await run(s, [{ type: 'not_null', column: 'age' }]);
      expect(
        await s.rows(
          "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked",
        ),
      ).toEqual([{ external: true, locked: false }]);
    });
  });
});
