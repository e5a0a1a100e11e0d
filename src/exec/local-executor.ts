import { CyclopsError } from '../core/index.js';
import { DEFAULT_KILL_GRACE_MS, DEFAULT_TAIL_CHARS, runChildProcess } from './command-runner.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type {
  CommandResult,
  Executor,
  RunCommandOptions,
  RunFunctionOptions,
  TaskOptions,
} from './executor.js';
import { cancelledError, closedError, timeoutError } from './task-errors.js';
import { DEFAULT_POOL_SIZE, WorkerPool } from './worker-pool.js';

export interface LocalExecutorOptions {
  /** Tasks of both kinds running at once; more wait in a queue. Defaults to the pool size. */
  concurrency?: number;
  /** Worker threads for `runFunction`; defaults to the cores available, at most 8. */
  poolSize?: number;
  /** Time a stopped command gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Characters of stdout and stderr kept in a `CommandResult`. */
  tailChars?: number;
}

/** The in-process `Executor`: worker threads for functions, child processes for commands. */
export class LocalExecutor implements Executor {
  private readonly limiter: ConcurrencyLimiter;
  private readonly pool: WorkerPool;
  private readonly controllers = new Map<AbortController, string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly opts: LocalExecutorOptions = {}) {
    this.pool = new WorkerPool({ size: opts.poolSize ?? DEFAULT_POOL_SIZE });
    this.limiter = new ConcurrencyLimiter(opts.concurrency ?? this.pool.size);
  }

  /** Tasks holding a slot, and tasks waiting for one. */
  get load(): { running: number; queued: number } {
    return { running: this.limiter.running, queued: this.limiter.queued };
  }

  runFunction<T = unknown>(
    moduleUrl: string,
    exportName: string,
    input: unknown,
    opts: RunFunctionOptions = {},
  ): Promise<T> {
    const label = `Function '${exportName}' of ${moduleUrl}`;
    return this.schedule(label, opts, (signal) =>
      this.pool.run(moduleUrl, exportName, input, { signal, transfer: opts.transfer }),
    ) as Promise<T>;
  }

  runCommand(command: string, args: readonly string[], opts: RunCommandOptions = {}): Promise<CommandResult> {
    const { timeoutMs: _timeout, signal: _signal, ...rest } = opts;
    return this.schedule(`Command '${command}'`, opts, (signal) =>
      runChildProcess(command, args, {
        ...rest,
        signal,
        killGraceMs: this.opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
        tailChars: this.opts.tailChars ?? DEFAULT_TAIL_CHARS,
      }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [controller, label] of this.controllers) controller.abort(closedError(label));
    await Promise.allSettled([...this.inFlight]);
    await this.pool.close();
  }

  /**
   * Queues `body` for a slot and runs it with a signal that aborts, with the matching error as its
   * reason, when the caller cancels, the timeout passes or the executor closes.
   */
  private schedule<T>(
    label: string,
    opts: TaskOptions,
    body: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.closed) return Promise.reject(closedError(label));
    if (opts.signal?.aborted) return Promise.reject(cancelledError(label, opts.signal.reason));
    const { timeoutMs } = opts;
    if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      const message = `${label}: timeoutMs must be a positive number of milliseconds, not ${timeoutMs}`;
      return Promise.reject(new CyclopsError('invalid_argument', message, { field: 'timeoutMs' }));
    }
    const controller = new AbortController();
    const onCancel = (): void => controller.abort(cancelledError(label, opts.signal?.reason));
    opts.signal?.addEventListener('abort', onCancel, { once: true });
    this.controllers.set(controller, label);
    let timer: NodeJS.Timeout | undefined;

    const task = (async () => {
      const release = await this.limiter.acquire(controller.signal, label);
      try {
        if (timeoutMs !== undefined) {
          timer = setTimeout(() => controller.abort(timeoutError(label, timeoutMs)), timeoutMs);
        }
        return await body(controller.signal);
      } finally {
        release();
      }
    })().finally(() => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCancel);
      this.controllers.delete(controller);
      this.inFlight.delete(task);
    });
    this.inFlight.add(task);
    return task;
  }
}
