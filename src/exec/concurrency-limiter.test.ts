import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../core/index.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

describe('ConcurrencyLimiter', () => {
  it('grants up to the limit, then queues in order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const order: string[] = [];
    const c = limiter.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const d = limiter.acquire().then((release) => {
      order.push('d');
      return release;
    });
    expect(limiter.running).toBe(2);
    expect(limiter.queued).toBe(2);
    a();
    a(); // a second release of the same slot is ignored
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(limiter.running).toBe(0);
  });

  it('removes an aborted waiter from the queue', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const hold = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, 'Job x');
    controller.abort();
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).details).toEqual({ reason: 'cancelled' });
    expect((err as CyclopsError).message).toBe('Job x was cancelled');
    expect(limiter.queued).toBe(0);
    hold();
    expect(limiter.running).toBe(0);
  });

  it('rejects queued waiters on demand', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.rejectQueued(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
  });

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });
});
