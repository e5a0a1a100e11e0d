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

  it('withSession closes the session when the work fails', async () => {
    await expect(withSession((s) => s.run('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
  });
});
