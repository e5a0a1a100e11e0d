import type { TransferListItem } from 'node:worker_threads';

export interface TaskOptions {
  /** Cancels the task: a queued one leaves the queue, a running one is stopped. */
  signal?: AbortSignal;
  /** Running time allowed, counted from when the task starts (time spent queued does not count). */
  timeoutMs?: number;
}

export interface RunFunctionOptions extends TaskOptions {
  /** Buffers in `input` to move to the worker instead of copying; the caller loses them. */
  transfer?: readonly TransferListItem[];
}

export interface RunCommandOptions extends TaskOptions {
  cwd?: string;
  /** Added to this process's environment; a variable set to `undefined` is removed. */
  env?: Record<string, string | undefined>;
  /** Start from an empty environment instead of this process's (then `env` is all the child sees). */
  inheritEnv?: boolean;
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
}

export interface CommandResult {
  /** `null` when the process was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last characters the process wrote (up to the executor's tail size), as UTF-8 text. */
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Runs pipeline steps, tuning trials and batch jobs. Every task holds one slot of a concurrency limit
 * shared by both kinds and waits in a queue while none is free.
 *
 * Errors are `CyclopsError`s. A task that did not finish because of the caller or the executor is
 * `unavailable` (503: the work may be retried) with `details.reason` saying why: `cancelled` (its
 * signal aborted), `timeout` or `closed` (the executor shut down). Not `internal`: nothing is broken,
 * and an `internal` message is hidden from API clients while these should be shown.
 */
export interface Executor {
  /**
   * Calls `exportName` of the ES module at `moduleUrl` (a `file:` URL or an absolute path) with `input`
   * on a worker thread and resolves with what it returns. Input and output are structured-cloned.
   */
  runFunction<T = unknown>(
    moduleUrl: string,
    exportName: string,
    input: unknown,
    opts?: RunFunctionOptions,
  ): Promise<T>;
  /**
   * Runs a program without a shell. A non-zero exit is a result, not an error; a program that cannot
   * be started is `invalid_argument`.
   */
  runCommand(command: string, args: readonly string[], opts?: RunCommandOptions): Promise<CommandResult>;
  /** Rejects queued tasks, stops running ones and resolves once they are gone. */
  close(): Promise<void>;
}
