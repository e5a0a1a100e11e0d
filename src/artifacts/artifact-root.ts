import { lstat, mkdir, realpath } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { CyclopsError } from '../core/index.js';

/**
 * A directory that artifact paths are confined to. Validated paths cannot climb out lexically; this
 * also stops a symlink inside the root from leading outside it, by resolving the deepest part of the
 * path that exists. (A process that can write into the root could still swap a symlink in between the
 * check and the use; the root is ours, so that is out of scope.)
 */
export class ArtifactRoot {
  readonly dir: string;
  private realDir: Promise<string> | undefined;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The real path of the root, created on first use. */
  real(): Promise<string> {
    if (this.realDir === undefined) {
      const pending = mkdir(this.dir, { recursive: true }).then(() => realpath(this.dir));
      this.realDir = pending;
      // A failed creation (a permission problem, say) is retried on the next call instead of cached.
      void pending.catch(() => {
        if (this.realDir === pending) this.realDir = undefined;
      });
    }
    return this.realDir;
  }

  /** The absolute location of a validated relative path, refusing one that escapes through a symlink. */
  async locate(relative: string, field = 'path'): Promise<string> {
    const root = await this.real();
    const target = relative === '' ? root : join(root, ...relative.split('/'));
    let probe = target;
    for (;;) {
      try {
        const real = await realpath(probe);
        if (!isInside(root, real)) throw escapes(relative, field);
        return target;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if ((code !== 'ENOENT' && code !== 'ENOTDIR') || probe === root) throw err;
      }
      // A dangling symlink as the last segment is harmless (a put replaces the link itself, a get finds
      // nothing), but as a directory on the way a mkdir could follow it somewhere we never checked.
      if (probe !== target && (await isSymlink(probe))) throw escapes(relative, field);
      probe = dirname(probe);
    }
  }
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function escapes(path: string, field: string): CyclopsError {
  return new CyclopsError(
    'invalid_argument',
    `Artifact ${field} '${path}' resolves outside the artifact root through a symlink`,
    { field },
  );
}
