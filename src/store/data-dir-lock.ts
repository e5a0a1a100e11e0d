import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CyclopsError } from '../core/index.js';

/**
 * PGlite belongs to one process. The process that opens the data directory writes `server.lock` there
 * (pid, host, and once it listens, its URL); any other process is refused with the URL to talk to
 * instead. A lock left by a dead process on this host is taken over.
 */
export interface LockInfo {
  pid: number;
  host: string;
  startedAt: number;
  url?: string;
}

export const LOCK_FILE = 'server.lock';

export function lockPath(home: string): string {
  return join(home, LOCK_FILE);
}

export function readLock(home: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockPath(home), 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock names a live process (on another host we cannot tell, so we assume live). */
export function isLockLive(info: LockInfo): boolean {
  return info.host !== hostname() || isProcessAlive(info.pid);
}

export class DataDirLock {
  private released = false;

  private constructor(
    readonly home: string,
    private info: LockInfo,
  ) {}

  static acquire(home: string): DataDirLock {
    mkdirSync(home, { recursive: true });
    const path = lockPath(home);
    const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: Date.now() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeFileSync(fd, JSON.stringify(info));
        closeSync(fd);
        return new DataDirLock(home, info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = readLock(home);
        if (holder && isLockLive(holder)) {
          const where = holder.url
            ? `the server at ${holder.url}`
            : `process ${holder.pid} on ${holder.host}`;
          throw new CyclopsError(
            'store_locked',
            `The data directory ${home} is in use by ${where}. Talk to it through its API ` +
              `(CYCLOPS_URL=${holder.url ?? 'http://127.0.0.1:5055'}), stop it, or use another CYCLOPS_HOME.`,
            { home, holder },
          );
        }
        // An unreadable lock may be one another process is writing this instant: only an old one is
        // a crash's leftover.
        if (!holder && isFresh(path)) continue;
        // A dead holder (or an unreadable lock from a crash mid-write): take it over.
        removeStaleLock(path, holder);
      }
    }
    throw new CyclopsError('store_locked', `Could not lock the data directory ${home}; try again.`, { home });
  }

  /** Records the URL the owning server listens on, so other commands can find it. */
  setUrl(url: string): void {
    this.info = { ...this.info, url };
    writeFileSync(lockPath(this.home), JSON.stringify(this.info));
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    const current = readLock(this.home);
    if (current && current.pid === this.info.pid && current.startedAt === this.info.startedAt) {
      try {
        unlinkSync(lockPath(this.home));
      } catch {
        /* already gone */
      }
    }
  }
}

/**
 * Removes a stale lock, under a short-lived guard file: two processes that both saw the same stale lock
 * must not both delete "it", or the second would delete the first one's fresh lock.
 */
function removeStaleLock(path: string, stale: LockInfo | undefined): void {
  const guard = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch {
    // Someone else is taking over; a guard left by a crash is cleared once it is old.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) unlinkSync(guard);
    } catch {
      /* gone already */
    }
    return;
  }
  try {
    const now = readLockFile(path);
    const same =
      now === undefined
        ? stale === undefined
        : stale !== undefined && now.pid === stale.pid && now.startedAt === stale.startedAt;
    if (same) unlinkSync(path);
  } catch {
    /* removed meanwhile: the caller retries its exclusive create */
  } finally {
    closeSync(fd);
    unlinkSync(guard);
  }
}

function readLockFile(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

function isFresh(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < 2000;
  } catch {
    return false;
  }
}
