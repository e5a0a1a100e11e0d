import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, tempHome } from '../helpers/cli.js';
import { api } from '../helpers/platform.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../helpers/stores.js';
import { runCli, type ServerProcess, startServerProcess } from '../helpers/subprocess.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

/** The data workflow as a user runs it: `cyclops datasets ...` subprocesses against a server process. */
describe('cyclops datasets: ingest, contract, split, diff', () => {
  const { home, cleanup } = tempHome();
  let server: ServerProcess;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(['datasets', ...args], env);
  beforeAll(async () => {
    server = await startServerProcess(cliEnv(home));
    env = cliEnv(home, { CYCLOPS_URL: server.url });
  });
  afterAll(async () => {
    if (server.child.exitCode === null) await server.stop();
    cleanup();
  });

  it('ingests, declares a contract with a target, and refuses a version that breaks it', async () => {
    const ingest = await cli('ingest', join(DATA, 'penguins.json'), '--name', 'penguins');
    expect(ingest.stderr).toBe('');
    expect(ingest.stdout).toBe('dataset penguins version 1: 344 rows, 7 columns (new)\n');

    const contract = await cli('contract', 'penguins', '--target', 'Species');
    expect(contract.code).toBe(0);
    expect(contract.stdout).toContain(
      'contract of penguins (from version 1): versions that break it are refused',
    );
    expect(contract.stdout).toMatch(/Species\s+string\s+no\s+yes/);

    const broken = join(home, 'broken.csv');
    writeFileSync(broken, 'Species,Island\nAdelie,Biscoe\n');
    const refused = await cli('ingest', broken, '--name', 'penguins');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("breaks the schema contract of dataset 'penguins'");
    expect(refused.stderr).toContain("column 'Beak Length (mm)' is missing");
    expect(refused.stderr).not.toMatch(STACK_FRAME);
  });

  it('validates a version with a rules file: a report, exit 1 on failure, rules saved for later versions', async () => {
    const rules = join(home, 'rules.yaml');
    writeFileSync(
      rules,
      [
        'rules:',
        '  - { type: not_null, column: Sex }',
        '  - { type: allowed_values, column: Species, values: [Adelie, Chinstrap, Gentoo] }',
        '  - { type: outliers, column: Body Mass (g), method: iqr, severity: warn }',
      ].join('\n'),
    );
    const failed = await cli('validate', 'penguins', '--rules', rules);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('penguins version 1: FAILED (1 errors, 0 warnings, 344 rows)');
    expect(failed.stdout).toMatch(/not_null\(Sex\)\s+error\s+FAIL\s+10/);
    expect(failed.stderr).toContain(
      'penguins version 1 failed validation: 1 rule(s) with severity error failed',
    );
    expect(failed.stderr).toContain('hint: the report above names the failing rules and sample rows');

    writeFileSync(
      rules,
      'rules:\n  - { type: row_count, min_rows: 100 }\n  - { type: not_null, column: Species }\n',
    );
    const passed = await cli('validate', 'penguins', '--rules', rules, '--save', '--json');
    expect(passed.code).toBe(0);
    expect(JSON.parse(passed.stdout)).toMatchObject({ dataset: 'penguins', version: 1, passed: true });
    const again = await cli('validate', 'penguins');
    expect(again.stdout).toContain('penguins version 1: PASSED');

    writeFileSync(rules, 'rules:\n  - type: range\n    column: Sex\n    mni: 3\n');
    const bad = await cli('validate', 'penguins', '--rules', rules);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rules\.yaml:4: rules\[0\]/);
  });

  it('splits a version with stratification, with lineage, and shows it', async () => {
    const split = await cli(
      'split',
      'penguins',
      '--stratify',
      'Species',
      '--validation',
      '0.15',
      '--test',
      '0.15',
      '--json',
    );
    expect(split.stderr).toBe('');
    const result = JSON.parse(split.stdout);
    expect(result.spec).toEqual({
      method: 'stratified',
      target: 'Species',
      fractions: { train: 0.7, validation: 0.15, test: 0.15 },
      seed: 42,
    });
    expect(result.splits.map((s: { row_count: number }) => s.row_count)).toEqual([241, 51, 52]);

    const show = await cli('show', 'penguins-train');
    expect(show.stdout).toMatch(/Parent:\s+penguins version 1/);
    expect(show.stdout).toMatch(/Source:\s+split, train/);

    const bad = await cli('split', 'penguins', '--train', '0.9', '--test', '0.3');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/fractions/);
    const usage = await cli('split', 'penguins', '--time', 'Species');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--time needs --train-before and --test-from');
  });

  it('fits a transform on the train split, applies it to the test split, and transforms rows over HTTP', async () => {
    const config = join(home, 'prep.yaml');
    writeFileSync(
      config,
      [
        'steps:',
        '  - { type: impute, columns: [Body Mass (g)], strategy: median }',
        '  - { type: scale, columns: [Body Mass (g)], method: standard }',
        '  - { type: one_hot, columns: [Island] }',
        '  - { type: drop, columns: [Sex] }',
      ].join('\n'),
    );
    const fit = await runCli(
      ['features', 'fit', 'penguins-train', '--config', config, '--name', 'prep'],
      env,
    );
    expect(fit.stderr).toBe('');
    const id = Number(
      /^transform (\d+) \(prep\) fitted on penguins-train version 1: 7 inputs -> 8 outputs/.exec(
        fit.stdout,
      )?.[1],
    );
    expect(id).toBeGreaterThan(0);

    const apply = await runCli(
      ['features', 'apply', String(id), 'penguins-test', '--into', 'penguins-test-prep'],
      env,
    );
    expect(apply.stderr).toBe('');
    expect(apply.stdout).toBe(
      'dataset penguins-test-prep version 1: 52 rows, 8 columns from penguins-test version 1 (new)\n',
    );

    const show = await runCli(['features', 'show', String(id)], env);
    expect(show.stdout).toMatch(/Steps:\s+impute, scale, one_hot, drop/);
    expect(show.stdout).toMatch(/Island_Biscoe\s+integer/);

    const rows = await api(server.url, 'POST', `/api/v1/transforms/${id}/rows`, {
      rows: [
        {
          Species: 'Adelie',
          Island: 'Dream',
          'Beak Length (mm)': 39.1,
          'Beak Depth (mm)': 18.7,
          'Flipper Length (mm)': 181,
          'Body Mass (g)': null,
        },
      ],
    });
    expect(rows.status).toBe(200);
    expect(rows.body.rows[0]).toMatchObject({ Island_Biscoe: 0, Island_Dream: 1, Island_Torgersen: 0 });
    const bad = await api(server.url, 'POST', `/api/v1/transforms/${id}/rows`, {
      rows: [{ Species: 'Adelie' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/rows\[0\]/);

    const badConfig = join(home, 'bad.yaml');
    writeFileSync(badConfig, 'steps:\n  - { type: scale, columns: [Island], method: standard }\n');
    const refused = await runCli(['features', 'fit', 'penguins-train', '--config', badConfig], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/steps\[0\].*Island/);
  });

  it('diffs two versions', async () => {
    const first = join(home, 'a.csv');
    const second = join(home, 'b.csv');
    writeFileSync(first, 'x,label\n1.5,a\n2.5,b\n3.5,a\n');
    writeFileSync(second, 'x,label,extra\n10.5,a,1\n20.5,c,2\n30.5,a,3\n40.5,a,4\n');
    await cli('ingest', first, '--name', 'moving');
    await cli('ingest', second, '--name', 'moving');
    const diff = await cli('diff', 'moving', '1');
    expect(diff.stderr).toBe('');
    expect(diff.stdout).toContain('dataset moving: version 1 -> 2');
    expect(diff.stdout).toContain('rows: 3 -> 4 (+1)');
    expect(diff.stdout).toContain('+ column extra (integer)');
    expect(diff.stdout).toMatch(/x\s+0 -> 0\s+2\.5 -> 25\.5/);
    const json = JSON.parse((await cli('diff', 'moving', '1', '2', '--json')).stdout);
    expect(json.diff.row_count).toEqual({ from: 3, to: 4, delta: 1 });
  });

  it.skipIf(!TEST_DATABASE_URL)('ingests the result of a query on a Postgres server', async () => {
    const source = await createTestDatabase();
    try {
      const client = new pg.Client({ connectionString: source.url });
      await client.connect();
      await client.query(
        'CREATE TABLE sales AS SELECT g AS id, (g % 3)::text AS region FROM generate_series(1, 40) g',
      );
      await client.end();
      const ok = await cli(
        'ingest',
        '--name',
        'sales',
        '--query',
        'SELECT * FROM sales ORDER BY id',
        '--connection',
        source.url,
      );
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toBe('dataset sales version 1: 40 rows, 2 columns (new)\n');
      const failed = await cli(
        'ingest',
        '--name',
        'sales',
        '--query',
        'SELECT nope FROM sales',
        '--connection',
        source.url,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        /query failed on .*: column "nope" does not exist at character 8 \(SQLSTATE 42703\)/,
      );
      const both = await cli(
        'ingest',
        'x.csv',
        '--name',
        'sales',
        '--query',
        'SELECT 1',
        '--connection',
        source.url,
      );
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('give a FILE or --query, not both');
    } finally {
      await source.drop();
    }
  });
});
