// Task functions for the executor tests, loaded by worker threads. Not part of the executor.
import { threadId } from 'node:worker_threads';
import { CyclopsError } from '../core/index.js';

export async function sum(input: { values: Float64Array }): Promise<number> {
  let total = 0;
  for (const v of input.values) total += v;
  return total;
}

/** Keeps a core busy for `ms` and reports when, in epoch milliseconds, and on which thread. */
export async function busyFor(ms: number): Promise<{ start: number; end: number; threadId: number }> {
  const start = performance.timeOrigin + performance.now();
  while (performance.timeOrigin + performance.now() - start < ms) {
    // Busy on purpose: this stands for CPU-bound work.
  }
  return { start, end: performance.timeOrigin + performance.now(), threadId };
}

export async function whichThread(): Promise<number> {
  return threadId;
}

export async function spinForever(): Promise<never> {
  for (;;) {
    // Never yields: only terminating the thread stops it.
  }
}

export async function fail(message: string): Promise<never> {
  throw new Error(message);
}

export async function failWithCode(): Promise<never> {
  throw new CyclopsError('not_found', "Dataset 'iris' does not exist", { entity: 'dataset' });
}

export async function crashThread(): Promise<never> {
  setTimeout(() => {
    throw new Error('worker blew up');
  });
  return new Promise<never>(() => {});
}

export async function exitThread(): Promise<never> {
  process.exit(3);
}

export async function unclonable(): Promise<() => number> {
  return () => 1;
}

export const notAFunction = 42;
