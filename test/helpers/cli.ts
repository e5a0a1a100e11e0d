import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh CYCLOPS_HOME under the OS temp dir; `cleanup` removes it. */
export function tempHome(prefix = 'cyclops-cli-'): { home: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * The environment a CLI subprocess gets on top of process.env: its own home, the embedded store, no
 * cyclops.yaml, and no server URL unless the test sets one ('' counts as unset in loadConfig and in the
 * bin's lock discovery).
 */
export function cliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CYCLOPS_HOME: home,
    CYCLOPS_DATABASE_URL: '',
    CYCLOPS_CONFIG: '',
    CYCLOPS_URL: '',
    CYCLOPS_PORT: '',
    CYCLOPS_HOST: '',
    CYCLOPS_DEBUG: '',
    CYCLOPS_LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The pid of a process that has already exited (for stale lock files). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  if (pid === undefined) throw new Error('could not spawn node');
  return pid;
}
