import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/platform.js';
import { BACKENDS, createTestDatabase } from '../helpers/stores.js';
import { startServerProcess } from '../helpers/subprocess.js';

/**
 * An acknowledged write is durable: stream metric batches, SIGKILL the server mid-stream, restart it,
 * and find every batch that had been acknowledged.
 */
describe.each(BACKENDS)('durability on %s', (backend) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps every acknowledged batch across a SIGKILL', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cyclops-kill-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const env: Record<string, string> = { CYCLOPS_HOME: home };
    if (backend === 'postgres') {
      const db = await createTestDatabase();
      cleanups.push(() => db.drop());
      env.CYCLOPS_DATABASE_URL = db.url;
    }
    let server = await startServerProcess(env);
    const runId = (await api(server.url, 'POST', '/api/v1/runs', {})).body.run.info.run_id as string;

    const acknowledged: number[] = [];
    let stop = false;
    const writer = async (stream: number) => {
      for (let batch = 0; !stop; batch++) {
        const id = stream * 1_000_000 + batch;
        const metrics = Array.from({ length: 50 }, (_, i) => ({
          key: `s${stream}`,
          value: id,
          step: batch * 50 + i,
        }));
        try {
          const res = await api(server.url, 'POST', `/api/v1/runs/${runId}/batch`, { metrics });
          if (res.status === 200) acknowledged.push(id);
        } catch {
          return; // the server is gone: whatever was in flight was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 1500));
    await server.kill();
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(10);

    server = await startServerProcess(env);
    cleanups.push(async () => {
      await server.stop();
    });
    for (const stream of [0, 1, 2, 3]) {
      const hist = await api(server.url, 'GET', `/api/v1/runs/${runId}/metrics/history?key=s${stream}`);
      expect(hist.status).toBe(200);
      const stored = new Map<number, number>();
      for (const m of hist.body.metrics as Array<{ value: number }>)
        stored.set(m.value, (stored.get(m.value) ?? 0) + 1);
      for (const id of acknowledged.filter((a) => Math.floor(a / 1_000_000) === stream)) {
        expect(stored.get(id), `batch ${id} was acknowledged but is missing`).toBe(50);
      }
      // Unacknowledged batches may or may not have landed, but never partially.
      for (const count of stored.values()) expect(count).toBe(50);
    }
  });
});
