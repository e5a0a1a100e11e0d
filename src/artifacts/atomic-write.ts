import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { CyclopsError } from '../core/index.js';
import type { ArtifactData } from './artifact-store.js';

export interface AtomicWriteResult {
  size: number;
  sha256: string;
}

/**
 * Streams `data` into `tempPath`, fsyncs it, then renames it to `finalPath` and fsyncs the directory,
 * so a reader sees either the old file or the whole new one, and an acknowledged write survives a
 * crash. On any failure (the source errors or is destroyed, the size limit is hit, the disk is full) the
 * temp file is removed and `finalPath` is untouched.
 */
export async function writeAtomically(
  tempPath: string,
  finalPath: string,
  data: ArtifactData,
  opts: { maxBytes?: number; displayPath: string },
): Promise<AtomicWriteResult> {
  const hash = createHash('sha256');
  let size = 0;
  let handle: FileHandle | undefined;
  try {
    await mkdir(dirname(tempPath), { recursive: true });
    handle = await open(tempPath, 'wx');
    for await (const chunk of chunksOf(data)) {
      size += chunk.byteLength;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) {
        throw new CyclopsError(
          'payload_too_large',
          `Artifact '${opts.displayPath}' is larger than the limit of ${opts.maxBytes} bytes`,
          { path: opts.displayPath, maxBytes: opts.maxBytes },
        );
      }
      hash.update(chunk);
      await writeAll(handle, chunk);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await mkdir(dirname(finalPath), { recursive: true });
    await rename(tempPath, finalPath);
    await syncDirectory(dirname(finalPath));
    return { size, sha256: hash.digest('hex') };
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw err;
  }
}

async function* chunksOf(data: ArtifactData): AsyncGenerator<Uint8Array> {
  if (typeof data === 'string') {
    yield Buffer.from(data, 'utf8');
  } else if (data instanceof Uint8Array) {
    yield data;
  } else if (data instanceof Readable) {
    // Breaking out of this loop (over the limit) destroys the source, which stops a client's upload.
    for await (const chunk of data) {
      if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
      else if (chunk instanceof Uint8Array) yield chunk;
      else throw new CyclopsError('invalid_argument', 'Artifact data stream must yield bytes or strings');
    }
  } else {
    throw new CyclopsError('invalid_argument', 'Artifact data must be a stream, a Buffer or a string');
  }
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Makes a rename durable. Some platforms (Windows) cannot open a directory: there it is a no-op. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw err;
  } finally {
    await handle?.close();
  }
}
