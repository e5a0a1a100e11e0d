import { type ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { CyclopsError } from '../core/index.js';
import type { CommandResult, RunCommandOptions } from './executor.js';
import { OutputTail } from './output-tail.js';
import { abortReason } from './task-errors.js';

export const DEFAULT_KILL_GRACE_MS = 5_000;
export const DEFAULT_TAIL_CHARS = 64 * 1024;

export interface ChildProcessOptions extends Omit<RunCommandOptions, 'timeoutMs'> {
  /** Time between SIGTERM and SIGKILL when the process is stopped. */
  killGraceMs?: number;
  /** How much of stdout and stderr the result keeps. */
  tailChars?: number;
}

/**
 * A command runs as the leader of its own process group and is stopped by signalling the whole group:
 * a step is often a shell or a launcher whose children would otherwise outlive it (and keep its output
 * pipes open, so it would never finish).
 */
const GROUP_KILL = process.platform !== 'win32';

/** Runs a program (no shell) to completion; aborting `signal` stops it with SIGTERM, then SIGKILL. */
export async function runChildProcess(
  command: string,
  args: readonly string[],
  opts: ChildProcessOptions = {},
): Promise<CommandResult> {
  const label = `Command '${command}'`;
  if (typeof command !== 'string' || command === '' || command.includes('\0')) {
    throw new CyclopsError('invalid_argument', `Command '${command}' is not a program name`, {
      field: 'command',
    });
  }
  if (opts.cwd !== undefined) await checkDirectory(opts.cwd);
  const { signal } = opts;
  if (signal?.aborted) throw abortReason(signal, label);
  const started = performance.now();
  const grace = opts.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: opts.cwd,
        env: environment(opts),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: GROUP_KILL,
        windowsHide: true,
      });
    } catch (err) {
      reject(startError(err, command));
      return;
    }
    const out = new OutputTail(opts.tailChars ?? DEFAULT_TAIL_CHARS);
    const err = new OutputTail(opts.tailChars ?? DEFAULT_TAIL_CHARS);
    let settled = false;
    let stopping = false;

    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const stop = (reason: unknown): void => {
      if (stopping) return;
      stopping = true;
      // Wait for the leader's exit, not 'close': a grandchild that escaped the group could hold the
      // pipes open forever. The SIGKILL still follows for the rest of the group.
      if (child.exitCode !== null || child.signalCode !== null) settle(() => reject(reason));
      else child.once('exit', () => settle(() => reject(reason)));
      signalGroup(child, 'SIGTERM');
      setTimeout(() => signalGroup(child, 'SIGKILL'), grace).unref();
    };
    const onAbort = (): void => stop(abortReason(signal!, label));
    const forward = (tail: OutputTail, listener?: (text: string) => void) => (chunk: Buffer) => {
      const text = tail.push(chunk);
      try {
        listener?.(text);
      } catch (listenerError) {
        stop(listenerError);
      }
    };

    child.stdout!.on('data', forward(out, opts.onStdout));
    child.stderr!.on('data', forward(err, opts.onStderr));
    child.on('error', (spawnFailure) => {
      // After a successful start, 'error' only reports a failed kill, which the exit handling covers.
      if (child.pid === undefined) settle(() => reject(startError(spawnFailure, command)));
    });
    child.on('close', (exitCode, exitSignal) => {
      if (stopping) return;
      settle(() =>
        resolve({
          exitCode,
          signal: exitSignal,
          stdout: out.end(),
          stderr: err.end(),
          durationMs: Math.round(performance.now() - started),
        }),
      );
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function environment(opts: ChildProcessOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = opts.inheritEnv === false ? {} : { ...process.env };
  for (const [name, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (GROUP_KILL) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // ESRCH: everything in the group has already exited.
  }
}

async function checkDirectory(cwd: string): Promise<void> {
  const st = await stat(cwd).catch(() => undefined);
  if (st?.isDirectory() !== true) {
    throw new CyclopsError('invalid_argument', `Working directory '${cwd}' does not exist`, { field: 'cwd' });
  }
}

function startError(err: unknown, command: string): CyclopsError {
  const code = (err as NodeJS.ErrnoException).code;
  const details = { field: 'command', command };
  if (code === 'ENOENT')
    return new CyclopsError('invalid_argument', `Command '${command}' not found`, details);
  if (code === 'EACCES') {
    return new CyclopsError('invalid_argument', `Command '${command}' is not executable`, details);
  }
  const why = err instanceof Error ? err.message : String(err);
  return new CyclopsError('internal', `Command '${command}' could not be started: ${why}`, details, {
    cause: err,
  });
}
