import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsError } from '../core/index.js';
import { LocalExecutor } from './local-executor.js';
import { WorkerPool } from './worker-pool.js';

const TASKS = new URL('./worker-tasks.fixture.ts', import.meta.url).href;

type Interval = { start: number; end: number; threadId: number };

function maxOverlap(intervals: Interval[]): number {
  const edges = intervals.flatMap((i) => [
    { at: i.start, delta: 1 },
    { at: i.end, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let max = 0;
  for (const e of edges) {
    current += e.delta;
    max = Math.max(max, current);
  }
  return max;
}

async function failure(promise: Promise<unknown>): Promise<CyclopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  return err as CyclopsError;
}

describe('LocalExecutor.runFunction', () => {
  let executor: LocalExecutor;

  beforeAll(async () => {
    executor = new LocalExecutor({ poolSize: 2, concurrency: 2 });
    // Two tasks at once start both threads, so later timings do not include thread start-up.
    await Promise.all([
      executor.runFunction(TASKS, 'whichThread', null),
      executor.runFunction(TASKS, 'whichThread', null),
    ]);
  });

  afterAll(async () => {
    await executor.close();
  });

  it('runs CPU tasks in parallel on reused threads, transferring typed arrays', async () => {
    const inputs = [1, 2, 3, 4].map((k) => Float64Array.from({ length: 250_000 }, (_, i) => (i % 10) * k));
    const sums = await Promise.all(
      inputs.map((values) =>
        executor.runFunction<number>(TASKS, 'sum', { values }, { transfer: [values.buffer] }),
      ),
    );
    expect(sums).toEqual([1, 2, 3, 4].map((k) => 45 * 25_000 * k));
    // Transferred, not copied: the caller's buffers are now detached.
    expect(inputs.every((values) => values.byteLength === 0)).toBe(true);

    const runs = await Promise.all([0, 1].map(() => executor.runFunction<Interval>(TASKS, 'busyFor', 300)));
    expect(new Set(runs.map((r) => r.threadId)).size).toBe(2);
    expect(maxOverlap(runs)).toBe(2);
  });

  it('never runs more tasks than the concurrency limit', async () => {
    const limited = new LocalExecutor({ poolSize: 3, concurrency: 2 });
    try {
      const runs = Promise.all(
        Array.from({ length: 6 }, () => limited.runFunction<Interval>(TASKS, 'busyFor', 80)),
      );
      expect(limited.load).toEqual({ running: 2, queued: 4 });
      expect(maxOverlap(await runs)).toBeLessThanOrEqual(2);
    } finally {
      await limited.close();
    }
  });

  it('cancels an endless task by replacing its thread, and keeps working', async () => {
    const controller = new AbortController();
    const endless = executor.runFunction(TASKS, 'spinForever', null, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const err = await failure(endless);
    expect(err.code).toBe('unavailable');
    expect(err.details).toEqual({ reason: 'cancelled' });
    expect(err.message).toContain("Function 'spinForever'");
    expect(await executor.runFunction(TASKS, 'sum', { values: new Float64Array([1, 2]) })).toBe(3);
  });

  it('times out an endless task', async () => {
    const started = Date.now();
    const err = await failure(executor.runFunction(TASKS, 'spinForever', null, { timeoutMs: 250 }));
    expect(err.code).toBe('unavailable');
    expect(err.details).toEqual({ reason: 'timeout', timeoutMs: 250 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await executor.runFunction(TASKS, 'whichThread', null)).toBeGreaterThan(0);
  });

  it('refuses a timeout that is not a positive number', async () => {
    for (const timeoutMs of [0, -1, Number.NaN]) {
      const err = await failure(executor.runFunction(TASKS, 'whichThread', null, { timeoutMs }));
      expect(err.details).toEqual({ field: 'timeoutMs' });
    }
  });

  it('removes a cancelled task from the queue without running it', async () => {
    const single = new LocalExecutor({ poolSize: 1 });
    try {
      const first = single.runFunction<Interval>(TASKS, 'busyFor', 300);
      const controller = new AbortController();
      const queued = single.runFunction(TASKS, 'fail', 'should never run', { signal: controller.signal });
      expect(single.load).toEqual({ running: 1, queued: 1 });
      controller.abort();
      expect((await failure(queued)).details).toEqual({ reason: 'cancelled' });
      expect(single.load).toEqual({ running: 1, queued: 0 });
      await first;
    } finally {
      await single.close();
    }
  });

  it('rejects with the message a task threw, and keeps a CyclopsError code', async () => {
    await expect(executor.runFunction(TASKS, 'fail', 'bad hyperparameter')).rejects.toThrow(
      'bad hyperparameter',
    );
    const err = await failure(executor.runFunction(TASKS, 'failWithCode', null));
    expect(err.code).toBe('not_found');
    expect(err.message).toBe("Dataset 'iris' does not exist");
    expect(err.details).toEqual({ entity: 'dataset' });
  });

  it.each([
    ['crashThread', 'worker blew up'],
    ['exitThread', 'exited with code 3'],
  ])('fails the task whose thread dies (%s) and replaces the thread', async (name, why) => {
    const err = await failure(executor.runFunction(TASKS, name, null));
    expect(err.code).toBe('internal');
    expect(err.details).toEqual({ reason: 'worker_crashed' });
    expect(err.message).toContain(why);
    const sums = await Promise.all([1, 2].map((n) => executor.runFunction(TASKS, 'sum', { values: [n] })));
    expect(sums).toEqual([1, 2]);
  });

  it('reports a bad module, export, input or output clearly', async () => {
    const missing = new URL('./no-such-module.ts', import.meta.url).href;
    expect((await failure(executor.runFunction(missing, 'x', null))).details).toEqual({ field: 'moduleUrl' });
    const noExport = await failure(executor.runFunction(TASKS, 'notAFunction', null));
    expect(noExport.message).toContain("has no exported function 'notAFunction'");
    expect((await failure(executor.runFunction('relative/path.js', 'x', null))).code).toBe(
      'invalid_argument',
    );
    const badInput = await failure(executor.runFunction(TASKS, 'sum', { values: () => 1 }));
    expect(badInput.code).toBe('invalid_argument');
    expect((await failure(executor.runFunction(TASKS, 'unclonable', null))).message).toContain(
      'cannot be sent back',
    );
  });

  it('close() stops running and queued tasks and refuses new ones', async () => {
    const closing = new LocalExecutor({ poolSize: 1 });
    const running = closing.runFunction(TASKS, 'spinForever', null);
    const queued = closing.runFunction(TASKS, 'sum', { values: [1] });
    await new Promise((r) => setTimeout(r, 100));
    await closing.close();
    expect((await failure(running)).details).toEqual({ reason: 'closed' });
    expect((await failure(queued)).details).toEqual({ reason: 'closed' });
    expect((await failure(closing.runFunction(TASKS, 'sum', { values: [1] }))).details).toEqual({
      reason: 'closed',
    });
  });
});

describe('WorkerPool', () => {
  it('keeps at most its size of threads alive', async () => {
    const pool = new WorkerPool({ size: 2 });
    try {
      const ids = await Promise.all(Array.from({ length: 6 }, () => pool.run(TASKS, 'whichThread', null)));
      expect(new Set(ids).size).toBeLessThanOrEqual(2);
      expect(pool.threads).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
    expect(pool.threads).toBe(0);
  });
});
