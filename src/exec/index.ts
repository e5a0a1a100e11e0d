export {
  type ChildProcessOptions,
  DEFAULT_KILL_GRACE_MS,
  DEFAULT_TAIL_CHARS,
  runChildProcess,
} from './command-runner.js';
export { ConcurrencyLimiter } from './concurrency-limiter.js';
export type {
  CommandResult,
  Executor,
  RunCommandOptions,
  RunFunctionOptions,
  TaskOptions,
} from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local-executor.js';
export { DEFAULT_POOL_SIZE, WorkerPool, type WorkerTaskOptions } from './worker-pool.js';
export { spawnWorker } from './worker-spawn.js';
