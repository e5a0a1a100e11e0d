import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CyclopsError, invalid } from '../core/index.js';

/**
 * Streams an upload into `path`, refusing it with `payload_too_large` past `maxBytes`. Breaking out of
 * the loop destroys the source, which stops the client's upload; the caller removes the partial file.
 */
export async function receiveUpload(body: Readable, path: string, maxBytes: number): Promise<number> {
  let size = 0;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'wx');
    for await (const chunk of body) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (!(bytes instanceof Uint8Array)) throw invalid('upload: the body must be bytes');
      size += bytes.byteLength;
      if (size > maxBytes) {
        throw new CyclopsError(
          'payload_too_large',
          `The upload is larger than the limit of ${maxBytes} bytes (CYCLOPS_ARTIFACT_MAX_BYTES)`,
          { field: 'body', maxBytes },
        );
      }
      let offset = 0;
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
        offset += bytesWritten;
      }
    }
    return size;
  } finally {
    await handle?.close();
  }
}
