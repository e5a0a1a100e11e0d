import { randomUUID } from 'node:crypto';
import { lstat, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CyclopsError, notFound } from '../core/index.js';
import { validateArtifactPath, validateArtifactPrefix } from './artifact-path.js';
import { ArtifactRoot } from './artifact-root.js';
import type {
  ArtifactData,
  ArtifactEntry,
  ArtifactStat,
  ArtifactStore,
  ListOptions,
  PutOptions,
  PutResult,
} from './artifact-store.js';
import { writeAtomically } from './atomic-write.js';

/**
 * Uploads in progress live here, inside the root so that the final rename stays on one filesystem
 * (atomic), and apart from the artifacts so a failed upload never leaves a directory or a partial file
 * among them. The name is reserved: no artifact path may start with it, and listings skip it.
 */
export const UPLOAD_DIR = '.cyclops-uploads';

/** The default `ArtifactStore`: a directory on the local filesystem. */
export class LocalArtifactStore implements ArtifactStore {
  private readonly root: ArtifactRoot;

  constructor(rootDir: string) {
    this.root = new ArtifactRoot(rootDir);
  }

  get rootDir(): string {
    return this.root.dir;
  }

  async put(path: string, data: ArtifactData, opts: PutOptions = {}): Promise<PutResult> {
    const rel = checkPath(path);
    const { maxBytes } = opts;
    if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
      const message = `maxBytes must be a non-negative integer, not ${maxBytes}`;
      throw new CyclopsError('invalid_argument', message, { field: 'maxBytes' });
    }
    const target = await this.root.locate(rel);
    const temp = join(await this.root.real(), UPLOAD_DIR, `${randomUUID()}.part`);
    try {
      const written = await writeAtomically(temp, target, data, { maxBytes, displayPath: rel });
      return { path: rel, ...written };
    } catch (err) {
      throw fsError(err, rel);
    }
  }

  async get(path: string): Promise<Readable> {
    const rel = checkPath(path);
    const target = await this.root.locate(rel);
    const handle = await open(target, 'r').catch((err: unknown) => {
      throw isMissing(err) ? notFound('Artifact', rel) : err;
    });
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw new CyclopsError('invalid_argument', `Artifact '${rel}' is a directory`, { field: 'path' });
    }
    return handle.createReadStream();
  }

  async stat(path: string): Promise<ArtifactStat | undefined> {
    const rel = checkPath(path);
    try {
      const st = await stat(await this.root.locate(rel));
      return { size: st.isDirectory() ? 0 : st.size, modifiedAt: st.mtimeMs, isDir: st.isDirectory() };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ArtifactEntry[]> {
    const rel = checkPath(prefix, true);
    const entries: ArtifactEntry[] = [];
    await this.collect(rel, opts.recursive === true, entries);
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async delete(path: string): Promise<boolean> {
    const rel = checkPath(path);
    const target = await this.root.locate(rel);
    try {
      await lstat(target);
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
    await rm(target, { recursive: true, force: true });
    return true;
  }

  async readText(path: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.get(path)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  writeText(path: string, text: string, opts?: PutOptions): Promise<PutResult> {
    return this.put(path, text, opts);
  }

  private async collect(dir: string, recursive: boolean, into: ArtifactEntry[]): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(await this.root.locate(dir, 'prefix'))).filter(
        (name) => dir !== '' || name !== UPLOAD_DIR,
      );
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    await Promise.all(
      names.map(async (name) => {
        const rel = dir === '' ? name : `${dir}/${name}`;
        const abs = await this.root.locate(rel).catch(() => undefined);
        // A symlink leading outside the root is left out rather than failing the whole listing.
        if (abs === undefined) return;
        // Entries deleted while we list them are simply left out.
        const [link, st] = await Promise.all([
          lstat(abs).catch(() => undefined),
          stat(abs).catch(() => undefined),
        ]);
        if (link === undefined || st === undefined || !(st.isFile() || st.isDirectory())) return;
        into.push({ path: rel, isDir: st.isDirectory(), size: st.isDirectory() ? 0 : st.size });
        // Not descending through symlinks keeps a link cycle from recursing forever.
        if (recursive && st.isDirectory() && !link.isSymbolicLink()) await this.collect(rel, true, into);
      }),
    );
  }
}

function checkPath(path: string, allowRoot = false): string {
  const rel = allowRoot ? validateArtifactPrefix(path) : validateArtifactPath(path);
  const field = allowRoot ? 'prefix' : 'path';
  if (rel.split('/')[0] === UPLOAD_DIR) {
    throw new CyclopsError('invalid_argument', `Artifact ${field} '${path}' is reserved`, { field });
  }
  return rel;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Turns the write errors a caller can cause or act on into `CyclopsError`s. */
function fsError(err: unknown, path: string): unknown {
  if (err instanceof CyclopsError) return err;
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return new CyclopsError(
        'conflict',
        `A parent of artifact '${path}' is a file`,
        { path },
        { cause: err },
      );
    case 'EISDIR':
    case 'ENOTEMPTY':
      return new CyclopsError('conflict', `Artifact '${path}' is a directory`, { path }, { cause: err });
    case 'ENOSPC':
    case 'EDQUOT':
      return new CyclopsError('unavailable', 'The artifact store is out of space', { path }, { cause: err });
    default:
      return err;
  }
}
