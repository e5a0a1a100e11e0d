import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DuckSession, withSession } from './index.js';

describe('DuckSession', () => {
  it('applies its settings, runs queries and closes once', async () => {
    const s = await DuckSession.open({ threads: 1, memoryLimit: '256MB' });
    const [row] = await s.rows(
      `SELECT current_setting('threads') AS t, current_setting('temp_directory') AS d`,
    );
    expect(row?.t).toBe(1n);
    await s.close();
    await s.close();
    // Its private spill directory goes with it.
    await expect(stat(String(row?.d))).rejects.toThrow();
  });

  it('beside() gives a second connection to the same database, and closes only that', async () => {
    await withSession(async (s) => {
      await s.run('CREATE TABLE t AS SELECT * FROM range(10) r(i)');
      const [sum, count] = await Promise.all([
        s.beside((side) => side.rows('SELECT sum(i) AS n FROM t')),
        s.rows('SELECT count(*) AS n FROM t'),
      ]);
      expect([sum[0]?.n, count[0]?.n]).toEqual([45n, 10n]);
      // The session's own connection still works afterwards.
      expect((await s.rows('SELECT 1 AS one'))[0]?.one).toBe(1);
    });
  });

  it('withSession closes the session when the work fails', async () => {
    await expect(withSession((s) => s.run('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
  });
});
