import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CyclopsError } from '../core/index.js';
import { LocalExecutor } from './local-executor.js';

const NODE = process.execPath;
const executor = new LocalExecutor({ concurrency: 4, killGraceMs: 300, tailChars: 1000 });

afterAll(async () => {
  await executor.close();
});

async function failure(promise: Promise<unknown>): Promise<CyclopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  return err as CyclopsError;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An orphan that was killed stays a zombie where PID 1 does not reap (some containers): that is dead.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Starts a command that prints pids and runs until stopped; resolves them once printed. */
function startLongRunning(script: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  let announce: (pids: number[]) => void = () => {};
  const pids = new Promise<number[]>((resolve) => {
    announce = resolve;
  });
  let printed = '';
  const result = executor.runCommand(NODE, ['-e', script], {
    ...opts,
    onStdout: (text) => {
      printed += text;
      if (printed.includes('\n')) announce(printed.trim().split(/\s+/).map(Number));
    },
  });
  return { pids, result };
}

describe('LocalExecutor.runCommand', () => {
  it('captures stdout and stderr and streams them to listeners', async () => {
    const seen: string[] = [];
    const result = await executor.runCommand('echo', ['hello', 'world'], { onStdout: (t) => seen.push(t) });
    expect(result).toMatchObject({ exitCode: 0, signal: null, stdout: 'hello world\n', stderr: '' });
    expect(seen.join('')).toBe('hello world\n');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const err = await executor.runCommand(NODE, ['-e', 'console.error("oops")']);
    expect(err.stderr).toBe('oops\n');
  });

  it('passes arguments as they are, without a shell', async () => {
    const result = await executor.runCommand('echo', ['$HOME', '; rm -rf /', '`id`']);
    expect(result.stdout).toBe('$HOME ; rm -rf / `id`\n');
  });

  it('keeps only the tail of long output', async () => {
    const result = await executor.runCommand(NODE, ['-e', 'process.stdout.write("x".repeat(5000) + "END")']);
    expect(result.stdout).toHaveLength(1000);
    expect(result.stdout.endsWith('xEND')).toBe(true);
  });

  it('reports a non-zero exit code as a result', async () => {
    const result = await executor.runCommand(NODE, ['-e', 'process.exit(3)']);
    expect(result).toMatchObject({ exitCode: 3, signal: null });
  });

  it('fails clearly and at once for a command that does not exist', async () => {
    const err = await failure(executor.runCommand('cyclops-no-such-command', ['x']));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toBe("Command 'cyclops-no-such-command' not found");
    expect(err.details).toMatchObject({ field: 'command' });
    expect((await failure(executor.runCommand('', []))).code).toBe('invalid_argument');
  });

  it('runs in the given directory and refuses a missing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cyclops-exec-'));
    try {
      const result = await executor.runCommand(NODE, ['-e', 'console.log(process.cwd())'], { cwd: dir });
      expect(result.stdout.trim()).toBe(await realpath(dir));
      const err = await failure(executor.runCommand(NODE, ['-v'], { cwd: join(dir, 'missing') }));
      expect(err.details).toEqual({ field: 'cwd' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes environment variables, on top of ours or alone', async () => {
    const script = 'console.log(process.env.CYCLOPS_STEP + "," + (process.env.PATH === undefined))';
    const merged = await executor.runCommand(NODE, ['-e', script], { env: { CYCLOPS_STEP: 'train' } });
    expect(merged.stdout).toBe('train,false\n');
    const alone = await executor.runCommand(NODE, ['-e', script], {
      env: { CYCLOPS_STEP: 'x' },
      inheritEnv: false,
    });
    expect(alone.stdout).toBe('x,true\n');
  });

  it('kills a process that runs past its timeout', async () => {
    const started = Date.now();
    const { pids, result } = startLongRunning('console.log(process.pid); setInterval(() => {}, 1000)', {
      timeoutMs: 400,
    });
    const err = await failure(result);
    expect(err.code).toBe('unavailable');
    expect(err.details).toEqual({ reason: 'timeout', timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [pid] = await pids;
    expect(isAlive(pid!)).toBe(false);
  });

  it('cancels a process, with SIGKILL when it ignores SIGTERM', async () => {
    const controller = new AbortController();
    const script = 'process.on("SIGTERM", () => {}); console.log(process.pid); setInterval(() => {}, 1000)';
    const { pids, result } = startLongRunning(script, { signal: controller.signal });
    const [pid] = await pids;
    controller.abort();
    const err = await failure(result);
    expect(err.details).toEqual({ reason: 'cancelled' });
    expect(isAlive(pid!)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('stops the children a command started too', async () => {
    const controller = new AbortController();
    const script = [
      'const { spawn } = require("node:child_process");',
      'const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });',
      'console.log(process.pid + " " + child.pid);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const { pids, result } = startLongRunning(script, { signal: controller.signal });
    const [parent, child] = await pids;
    expect(isAlive(child!)).toBe(true);
    controller.abort();
    await failure(result);
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(parent!)).toBe(false);
    expect(isAlive(child!)).toBe(false);
  });

  it('shares the concurrency limit with queued commands, which can be cancelled', async () => {
    const small = new LocalExecutor({ concurrency: 1 });
    try {
      const first = small.runCommand(NODE, ['-e', 'setTimeout(() => {}, 300)']);
      const controller = new AbortController();
      const second = small.runCommand('echo', ['never'], { signal: controller.signal });
      expect(small.load).toEqual({ running: 1, queued: 1 });
      controller.abort();
      expect((await failure(second)).details).toEqual({ reason: 'cancelled' });
      expect((await first).exitCode).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('close() stops running commands', async () => {
    const closing = new LocalExecutor({ killGraceMs: 200 });
    const running = closing.runCommand(NODE, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((r) => setTimeout(r, 100));
    await closing.close();
    expect((await failure(running)).details).toEqual({ reason: 'closed' });
  });
});
