import { abortReason } from './task-errors.js';

interface Waiter {
  grant: (release: () => void) => void;
  fail: (err: unknown) => void;
}

/** A counting semaphore with a FIFO queue, from which an aborted waiter is removed at once. */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting = new Set<Waiter>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer`);
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.size;
  }

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal, task = 'The task'): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal, task));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.waiting.delete(waiter);
        reject(abortReason(signal!, task));
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.waiting.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Rejects every queued waiter with `err` (running holders keep their slots). */
  rejectQueued(err: unknown): void {
    const waiters = [...this.waiting];
    this.waiting.clear();
    for (const w of waiters) w.fail(err);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.values().next();
      if (next.done) {
        this.active--;
      } else {
        // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
        this.waiting.delete(next.value);
        next.value.grant(this.releaser());
      }
    };
  }
}
