import type { MetricInput } from '../contracts/index.js';
import { BATCH_LIMITS, KEY_PATTERN, MAX_KEY_LENGTH, toWireNumber } from '../contracts/index.js';
import { CyclopsApiError, isTransientError } from './errors.js';

export interface MetricLoggerOptions {
  /** Metrics per logBatch request; at most 1000 (the server's limit). Default 1000. */
  maxBatch?: number;
  /** How long a logged point may wait before a background flush sends it. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Above this many unsent points `log` returns false: the caller should `await flush()`. Default 100,000. */
  maxBuffered?: number;
  /** Retries of a batch that failed transiently (no server, 503). Default 3. */
  retries?: number;
  /** First retry delay; doubles on every retry. Default 250 ms. */
  retryDelayMs?: number;
}

export type SendMetrics = (metrics: MetricInput[]) => Promise<void>;

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const KEY_RE = new RegExp(KEY_PATTERN);

/**
 * Buffers metric points and sends them with logBatch in the background: batches of at most `maxBatch`,
 * one request in flight at a time, so the server sees the points in the order they were logged.
 * Transient failures are retried with backoff; after that the points stay buffered for the next flush
 * and the error is reported by the next `flush()` or `close()`. A batch the server refuses (400) is
 * dropped and its error reported the same way, so one bad batch never blocks the rest.
 */
export class MetricLogger {
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private buffer: MetricInput[] = [];
  private logged = 0;
  /** Points the server acknowledged, or refused for good. */
  private settled = 0;
  private pump: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Waiter[] = [];
  private error: { err: unknown; lostData: boolean } | undefined;
  private closed = false;

  constructor(
    private readonly send: SendMetrics,
    options: MetricLoggerOptions = {},
  ) {
    this.maxBatch = Math.max(1, Math.min(options.maxBatch ?? BATCH_LIMITS.metrics, BATCH_LIMITS.metrics));
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.maxBuffered = options.maxBuffered ?? 100_000;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
  }

  /** Points logged but not yet acknowledged (buffered or in flight). */
  get pending(): number {
    return this.logged - this.settled;
  }

  /**
   * Buffers one point (never blocks). Returns false when more than `maxBuffered` points are pending:
   * the point is kept, but the caller should `await flush()` before logging more.
   */
  log(key: string, value: number, step?: number, timestamp: number = Date.now()): boolean {
    if (this.closed)
      throw new CyclopsApiError('conflict', 'MetricLogger is closed: create a new one to log', 0);
    checkPoint(key, value, step, timestamp);
    const point: MetricInput = { key, value: toWireNumber(value), timestamp };
    if (step !== undefined) point.step = step;
    this.buffer.push(point);
    this.logged++;
    const overLimit = this.pending > this.maxBuffered;
    // While an error is unreported, only the timer retries: logging must not hammer a server that is down.
    if (overLimit || (this.buffer.length >= this.maxBatch && this.error === undefined)) this.startPump();
    else this.schedule();
    return !overLimit;
  }

  /**
   * Resolves once every point logged before the call is sent. Rejects when they could not be sent, or
   * when an earlier background batch was refused (its points are lost).
   */
  async flush(): Promise<void> {
    const prior = this.error;
    this.error = undefined;
    const target = this.logged;
    if (this.settled < target) {
      await new Promise<void>((resolve, reject) => {
        this.waiters.push({ target, resolve, reject });
        this.startPump();
      });
    }
    // A transient failure whose points just went through is not worth reporting; lost points are.
    if (prior?.lostData) throw prior.err;
  }

  /** Stops the background timer and flushes; `log` throws afterwards. Safe to call again after a failure. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.pump !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startPump();
    }, this.flushIntervalMs);
    // The timer alone must not keep a Node process alive; flushOnExit() or close() sends the rest.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private startPump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pump !== undefined) return;
    this.pump = this.drain().finally(() => {
      this.pump = undefined;
      // Points logged while the pump was winding down: a flush() waiting for them must not wait a tick.
      if (this.buffer.length > 0 && this.waiters.length > 0) this.startPump();
      else if (this.buffer.length > 0) this.schedule();
    });
  }

  /** Never rejects: failures go to the waiters, or are kept for the next flush. */
  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const chunk = this.buffer.splice(0, this.maxBatch);
      try {
        await this.sendWithRetry(chunk);
      } catch (err) {
        const transient = isTransientError(err);
        // Every waiter still pending needs this chunk, so it hears of the failure first.
        this.fail(err, !transient);
        if (transient) {
          this.buffer.unshift(...chunk);
          return;
        }
        this.settle(chunk.length);
        continue;
      }
      // The points an earlier transient failure kept got through after all: nothing to report.
      if (this.error && !this.error.lostData) this.error = undefined;
      this.settle(chunk.length);
    }
  }

  private async sendWithRetry(chunk: MetricInput[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send(chunk);
        return;
      } catch (err) {
        if (!isTransientError(err) || attempt >= this.retries) throw err;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** attempt));
      }
    }
  }

  private settle(count: number): void {
    this.settled += count;
    const done = this.waiters.filter((w) => w.target <= this.settled);
    this.waiters = this.waiters.filter((w) => w.target > this.settled);
    for (const w of done) w.resolve();
  }

  private fail(err: unknown, lostData: boolean): void {
    if (this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.reject(err);
    } else if (!this.error?.lostData) {
      this.error = { err, lostData };
    }
  }
}

/** Checked at `log` time: one bad point would make the server refuse its whole batch. */
function checkPoint(key: string, value: number, step: number | undefined, timestamp: number): void {
  const problem =
    key.length === 0 || key.length > MAX_KEY_LENGTH || !KEY_RE.test(key)
      ? `invalid metric key '${key}': use 1-${MAX_KEY_LENGTH} of letters, digits, '_', '-', '.', ' ', ':', '/'`
      : typeof value !== 'number'
        ? `metric '${key}': value must be a number, got ${typeof value}`
        : step !== undefined && !Number.isSafeInteger(step)
          ? `metric '${key}': step must be an integer, got ${step}`
          : !Number.isSafeInteger(timestamp) || timestamp < 0
            ? `metric '${key}': timestamp must be epoch milliseconds, got ${timestamp}`
            : undefined;
  if (problem) throw new CyclopsApiError('invalid_argument', problem, 0, { key });
}

interface ProcessLike {
  on(event: 'beforeExit', listener: () => void): unknown;
  off?(event: 'beforeExit', listener: () => void): unknown;
}

/**
 * Flushes the logger when a Node process runs out of work (`beforeExit`), so a script that forgets
 * `close()` still delivers its metrics. Not called on `process.exit()` or signals. Returns an unregister
 * function; a no-op in browsers.
 */
export function flushOnExit(logger: MetricLogger): () => void {
  const proc = (globalThis as { process?: Partial<ProcessLike> }).process;
  if (typeof proc?.on !== 'function') return () => {};
  let busy = false;
  let failed = false;
  const onBeforeExit = (): void => {
    // beforeExit fires again once the flush is done: stop after a failure instead of retrying forever.
    if (busy || failed || logger.pending === 0) return;
    busy = true;
    logger.flush().then(
      () => {
        busy = false;
      },
      (err: unknown) => {
        busy = false;
        failed = true;
        console.error(
          `cyclops: metrics were not sent before exit: ${err instanceof Error ? err.message : err}`,
        );
      },
    );
  };
  proc.on('beforeExit', onBeforeExit);
  return () => {
    proc.off?.('beforeExit', onBeforeExit);
  };
}
