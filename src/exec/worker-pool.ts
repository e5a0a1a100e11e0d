import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TransferListItem, Worker } from 'node:worker_threads';
import { CyclopsError } from '../core/index.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { abortReason, closedError } from './task-errors.js';
import { crashError, failureError } from './worker-errors.js';
import type { TaskRequest, TaskResponse } from './worker-protocol.js';
import { spawnWorker } from './worker-spawn.js';

/** One thread per core, but not so many that a big machine spends its memory on idle threads. */
export const DEFAULT_POOL_SIZE = Math.max(1, Math.min(availableParallelism(), 8));

export interface WorkerTaskOptions {
  signal?: AbortSignal;
  transfer?: readonly TransferListItem[];
}

interface Running {
  id: number;
  label: string;
  finish: (res: TaskResponse | Error) => void;
}

/**
 * Runs exported functions of ES modules on a fixed number of reused worker threads, queueing what does
 * not fit. A task is stopped by terminating its thread (the only way to interrupt a busy loop); a thread
 * that dies is dropped and a fresh one started for the next task.
 */
export class WorkerPool {
  readonly size: number;
  private readonly limiter: ConcurrencyLimiter;
  private readonly live = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Running>();
  private nextId = 1;
  private closed = false;

  constructor(opts: { size?: number } = {}) {
    this.size = opts.size ?? DEFAULT_POOL_SIZE;
    this.limiter = new ConcurrencyLimiter(this.size);
  }

  get threads(): number {
    return this.live.size;
  }

  async run(
    moduleUrl: string,
    exportName: string,
    input: unknown,
    opts: WorkerTaskOptions = {},
  ): Promise<unknown> {
    const url = toModuleUrl(moduleUrl);
    const label = `Function '${exportName}' of ${url}`;
    if (this.closed) throw closedError(label);
    const release = await this.limiter.acquire(opts.signal, label);
    try {
      if (this.closed) throw closedError(label);
      if (opts.signal?.aborted) throw abortReason(opts.signal, label);
      const worker = this.idle.pop() ?? this.spawn();
      const req: TaskRequest = { id: this.nextId++, moduleUrl: url, exportName, input };
      return await this.dispatch(worker, req, label, opts);
    } finally {
      release();
    }
  }

  /** Rejects queued and running tasks and terminates every thread. */
  async close(): Promise<void> {
    this.closed = true;
    this.limiter.rejectQueued(closedError('The queued function'));
    for (const [worker, task] of this.running) {
      this.running.delete(worker);
      task.finish(closedError(task.label));
    }
    this.idle.length = 0;
    const workers = [...this.live];
    this.live.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private dispatch(
    worker: Worker,
    req: TaskRequest,
    label: string,
    opts: WorkerTaskOptions,
  ): Promise<unknown> {
    const { signal } = opts;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        // Forget the task first, so the exit of the terminated thread is not reported as a crash.
        this.running.delete(worker);
        this.live.delete(worker);
        void worker.terminate().finally(() => reject(abortReason(signal!, label)));
      };
      const finish = (res: TaskResponse | Error): void => {
        signal?.removeEventListener('abort', onAbort);
        if (res instanceof Error) reject(res);
        else if (res.ok) resolve(res.value);
        else reject(failureError(res, req, label));
      };
      try {
        worker.postMessage(req, opts.transfer);
      } catch (err) {
        this.idle.push(worker);
        const why = err instanceof Error ? err.message : String(err);
        reject(new CyclopsError('invalid_argument', `${label}: input cannot be sent to a worker: ${why}`));
        return;
      }
      worker.ref();
      this.running.set(worker, { id: req.id, label, finish });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private spawn(): Worker {
    const worker = spawnWorker(new URL('./worker-entry.js', import.meta.url), import.meta.url);
    this.live.add(worker);
    worker.on('message', (res: TaskResponse) => {
      const task = this.running.get(worker);
      if (task === undefined || task.id !== res.id) return;
      this.running.delete(worker);
      // An idle thread must not keep the process alive.
      worker.unref();
      if (!this.closed && this.live.has(worker)) this.idle.push(worker);
      task.finish(res);
    });
    worker.on('messageerror', (err) =>
      this.drop(worker, crashError('its result could not be received', err)),
    );
    worker.on('error', (err) => this.drop(worker, crashError('an uncaught exception', err)));
    worker.on('exit', (code) => this.drop(worker, crashError(`its thread exited with code ${code}`)));
    return worker;
  }

  private drop(worker: Worker, err: (label: string) => Error): void {
    this.live.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    const task = this.running.get(worker);
    if (task === undefined) return;
    this.running.delete(worker);
    void worker.terminate();
    task.finish(err(task.label));
  }
}

function toModuleUrl(moduleUrl: string): string {
  if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  try {
    return new URL(moduleUrl).href;
  } catch {
    throw new CyclopsError(
      'invalid_argument',
      `Module '${moduleUrl}' must be a file: URL or an absolute path`,
      { field: 'moduleUrl' },
    );
  }
}
