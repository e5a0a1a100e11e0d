import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CyclopsError } from '../core/index.js';
import { DataDirLock, isLockLive, isProcessAlive, LOCK_FILE, lockPath, readLock } from './data-dir-lock.js';
import { openStore } from './open-store.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  if (r.pid === undefined || r.status !== 0) throw new Error('could not spawn node');
  return r.pid;
}

function lockError(home: string): CyclopsError {
  try {
    DataDirLock.acquire(home).release();
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    return err as CyclopsError;
  }
  throw new Error('acquire did not throw');
}

let home: string;
const held: DataDirLock[] = [];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cyclops-lock-'));
});
afterEach(() => {
  for (const l of held.splice(0)) l.release();
  rmSync(home, { recursive: true, force: true });
});

function acquire(dir = home): DataDirLock {
  const lock = DataDirLock.acquire(dir);
  held.push(lock);
  return lock;
}

describe('DataDirLock', () => {
  it('writes a lock file naming this process', () => {
    const lock = acquire();
    expect(lock.home).toBe(home);
    expect(lockPath(home)).toBe(join(home, LOCK_FILE));
    const info = readLock(home);
    expect(info).toMatchObject({ pid: process.pid, host: hostname() });
    expect(typeof info?.startedAt).toBe('number');
    expect(info?.url).toBeUndefined();
  });

  it('creates a missing home directory', () => {
    const nested = join(home, 'a', 'b');
    acquire(nested);
    expect(existsSync(lockPath(nested))).toBe(true);
  });

  it('refuses a second holder, naming the holder process', () => {
    acquire();
    const e = lockError(home);
    expect(e.code).toBe('store_locked');
    expect(e.status).toBe(423);
    expect(e.message).toContain(home);
    expect(e.message).toContain(`process ${process.pid}`);
    expect(e.details).toMatchObject({ home, holder: { pid: process.pid } });
  });

  it('after setUrl the refusal names the URL to talk to', () => {
    const lock = acquire();
    lock.setUrl('http://127.0.0.1:1234');
    expect(readLock(home)?.url).toBe('http://127.0.0.1:1234');
    const e = lockError(home);
    expect(e.code).toBe('store_locked');
    expect(e.message).toContain('http://127.0.0.1:1234');
    expect(e.message).toContain('CYCLOPS_URL=http://127.0.0.1:1234');
  });

  it('release removes the lock, so the directory can be locked again', () => {
    const lock = acquire();
    lock.setUrl('http://127.0.0.1:1234');
    lock.release();
    expect(existsSync(lockPath(home))).toBe(false);
    lock.release(); // idempotent
    const again = acquire();
    expect(readLock(home)?.pid).toBe(process.pid);
    again.release();
    expect(readdirSync(home)).toEqual([]);
  });

  it('release leaves a lock it does not own alone', () => {
    const lock = acquire();
    // Someone else's lock replaced ours (e.g. a takeover after we were presumed dead).
    const other = { pid: process.pid, host: hostname(), startedAt: 1 };
    writeFileSync(lockPath(home), JSON.stringify(other));
    lock.release();
    expect(readLock(home)).toEqual(other);
  });

  it('takes over a lock left by a process that has exited', () => {
    const pid = deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    const stale = { pid, host: hostname(), startedAt: Date.now() - 60_000, url: 'http://127.0.0.1:9' };
    writeFileSync(lockPath(home), JSON.stringify(stale));
    expect(isLockLive(stale)).toBe(false);

    const lock = acquire();
    expect(readLock(home)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(readLock(home)?.url).toBeUndefined();
    lock.release();
    expect(existsSync(lockPath(home))).toBe(false);
  });

  it('takes over an old unreadable lock (a crash mid-write), but not one being written now', () => {
    writeFileSync(lockPath(home), '{"pid": 12');
    // Fresh: possibly another process between its exclusive create and its write.
    expect(lockError(home).code).toBe('store_locked');
    const old = new Date(Date.now() - 5000);
    utimesSync(lockPath(home), old, old);
    acquire();
    expect(readLock(home)?.pid).toBe(process.pid);
  });

  it('treats a lock from another host as live', () => {
    const remote = { pid: deadPid(), host: `not-${hostname()}`, startedAt: Date.now() };
    writeFileSync(lockPath(home), JSON.stringify(remote));
    expect(isLockLive(remote)).toBe(true);
    const e = lockError(home);
    expect(e.code).toBe('store_locked');
    expect(e.message).toContain(remote.host);
    expect(readLock(home)).toEqual(remote);
  });
});

describe('openStore on a locked data directory', () => {
  it('fails with store_locked, opens no PGlite and keeps the holder lock', async () => {
    const lock = acquire();
    lock.setUrl('http://127.0.0.1:1234');
    const before = readLock(home);

    const err = await openStore({ home }).then(
      async (store) => {
        await store.close();
        throw new Error('openStore succeeded on a locked directory');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).code).toBe('store_locked');
    expect((err as CyclopsError).message).toContain('http://127.0.0.1:1234');
    // PGlite was never started on the directory (it creates pgdata/ first) ...
    expect(existsSync(join(home, 'pgdata'))).toBe(false);
    expect(readdirSync(home)).toEqual([LOCK_FILE]);
    // ... and the failed open did not release the live holder's lock.
    expect(readLock(home)).toEqual(before);
  });

  it('opens once the holder releases, and holds the lock until closed', async () => {
    const lock = acquire();
    lock.release();
    const store = await openStore({ home });
    try {
      expect(store.kind).toBe('pglite');
      expect(store.lock).toBeDefined();
      expect(readLock(home)?.pid).toBe(process.pid);
      expect(lockError(home).code).toBe('store_locked');
      // A second openStore on the same home is refused while the first is open.
      await expect(openStore({ home })).rejects.toMatchObject({ code: 'store_locked' });
    } finally {
      await store.close();
    }
    expect(existsSync(lockPath(home))).toBe(false);
  });
});
