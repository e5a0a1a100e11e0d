import { describe, expect, it } from 'vitest';
import type { MetricInput } from '../contracts/index.js';
import { CyclopsApiError } from './errors.js';
import { flushOnExit, MetricLogger } from './metric-logger.js';

/** A fake logBatch: records each batch, and answers when the test says so. */
function fakeSend(answer: (batch: MetricInput[], call: number) => Promise<void> = () => Promise.resolve()) {
  const batches: MetricInput[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = async (batch: MetricInput[]): Promise<void> => {
    batches.push(batch);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await answer(batch, batches.length);
    } finally {
      inFlight--;
    }
  };
  return {
    send,
    batches,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const badRequest = () => new CyclopsApiError('invalid_argument', 'bad metric', 400, { field: '/metrics/0' });

describe('MetricLogger', () => {
  it('sends in the background after flushIntervalMs without a flush', async () => {
    const fake = fakeSend();
    const logger = new MetricLogger(fake.send, { flushIntervalMs: 10 });
    logger.log('a', 1);
    logger.log('b', 2, 7);
    expect(fake.batches).toHaveLength(0);
    await sleep(60);
    expect(fake.batches).toHaveLength(1);
    expect(fake.batches[0]?.map((m) => m.key)).toEqual(['a', 'b']);
    expect(fake.batches[0]?.[1]?.step).toBe(7);
    expect(fake.batches[0]?.[0]?.step).toBeUndefined();
    expect(typeof fake.batches[0]?.[0]?.timestamp).toBe('number');
  });

  it('starts a batch as soon as maxBatch points are waiting, one request at a time, in order', async () => {
    const fake = fakeSend(() => sleep(5));
    const logger = new MetricLogger(fake.send, { maxBatch: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) logger.log('m', i, i);
    expect(fake.batches).toHaveLength(1);
    await logger.flush();
    expect(fake.batches.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(fake.batches.flat().map((m) => m.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fake.maxInFlight).toBe(1);
  });

  it('never sends more than 1000 points a request, whatever maxBatch says', async () => {
    const fake = fakeSend();
    const logger = new MetricLogger(fake.send, { maxBatch: 5000 });
    for (let i = 0; i < 1500; i++) logger.log('m', i);
    await logger.close();
    expect(fake.batches.map((b) => b.length)).toEqual([1000, 500]);
  });

  it('returns false from log above maxBuffered, and keeps the point', async () => {
    let release: () => void = () => {};
    const fake = fakeSend(() => new Promise<void>((resolve) => (release = resolve)));
    const logger = new MetricLogger(fake.send, { maxBatch: 2, maxBuffered: 3 });
    expect([1, 2, 3].map((v) => logger.log('m', v))).toEqual([true, true, true]);
    expect(logger.log('m', 4)).toBe(false);
    expect(logger.pending).toBe(4);
    const flushed = logger.flush();
    release();
    await sleep(0);
    release();
    await flushed;
    expect(fake.batches.flat().map((m) => m.value)).toEqual([1, 2, 3, 4]);
  });

  it('flush waits only for the points logged before it', async () => {
    const fake = fakeSend(() => sleep(5));
    const logger = new MetricLogger(fake.send, { maxBatch: 2, flushIntervalMs: 60_000 });
    logger.log('m', 1);
    const flushed = logger.flush();
    logger.log('m', 2);
    logger.log('m', 3);
    await flushed;
    expect(fake.batches[0]?.map((m) => m.value)).toEqual([1]);
    await logger.close();
    expect(fake.batches.flat()).toHaveLength(3);
  });

  it('drops a batch the server refuses, sends the rest, and reports it on the next flush', async () => {
    const fake = fakeSend(async (_batch, call) => {
      if (call === 1) throw badRequest();
    });
    const logger = new MetricLogger(fake.send, { maxBatch: 2, flushIntervalMs: 60_000 });
    for (let i = 0; i < 4; i++) logger.log('m', i);
    await sleep(10);
    expect(fake.batches).toHaveLength(2);
    await expect(logger.flush()).rejects.toMatchObject({ code: 'invalid_argument', status: 400 });
    await expect(logger.flush()).resolves.toBeUndefined();
    expect(logger.pending).toBe(0);
  });

  it('does not retry a refused batch', async () => {
    const fake = fakeSend(async () => {
      throw badRequest();
    });
    const logger = new MetricLogger(fake.send, { retryDelayMs: 1 });
    logger.log('m', 1);
    await expect(logger.close()).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(fake.batches).toHaveLength(1);
  });

  it('forgets a transient failure once the kept points went through', async () => {
    const fake = fakeSend(async (_batch, call) => {
      if (call <= 2) throw new CyclopsApiError('unavailable', 'no server', 0);
    });
    const logger = new MetricLogger(fake.send, { retries: 1, retryDelayMs: 1, flushIntervalMs: 5 });
    logger.log('m', 1);
    await sleep(80);
    expect(fake.batches.length).toBeGreaterThanOrEqual(3);
    expect(logger.pending).toBe(0);
    await expect(logger.flush()).resolves.toBeUndefined();
  });

  it('refuses bad points at log time, before they can spoil a batch', () => {
    const logger = new MetricLogger(fakeSend().send);
    expect(() => logger.log('loss!', 1)).toThrow(/invalid metric key/);
    expect(() => logger.log('ok', 1, 1.5)).toThrow(/step must be an integer/);
    expect(() => logger.log('ok', 1, 0, -1)).toThrow(/timestamp/);
    expect(logger.pending).toBe(0);
  });

  it('refuses to log after close', async () => {
    const logger = new MetricLogger(fakeSend().send);
    await logger.close();
    expect(() => logger.log('m', 1)).toThrow(/closed/);
  });
});

describe('flushOnExit', () => {
  it('flushes on beforeExit and unregisters', async () => {
    const fake = fakeSend();
    const logger = new MetricLogger(fake.send, { flushIntervalMs: 60_000 });
    const before = process.listeners('beforeExit');
    const unregister = flushOnExit(logger);
    const added = process.listeners('beforeExit').filter((l) => !before.includes(l));
    expect(added).toHaveLength(1);
    logger.log('m', 1);
    (added[0] as () => void)();
    await sleep(0);
    expect(fake.batches).toHaveLength(1);
    unregister();
    expect(process.listeners('beforeExit')).toEqual(before);
  });
});
