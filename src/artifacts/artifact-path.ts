import { CyclopsError } from '../core/index.js';

export const MAX_ARTIFACT_PATH_LENGTH = 1024;

const DRIVE_LETTER = /^[A-Za-z]:/;

/**
 * Checks an artifact path given by a caller and returns its normal form (`a//b/./c/` -> `a/b/c`).
 * Rejected: empty, `..` segments, absolute paths (POSIX, UNC or a Windows drive), NUL bytes, backslashes
 * (a separator on Windows, so `a\..\b` must not slip through), and anything over 1024 characters.
 * The same rules hold on every store, so a path accepted locally is also accepted by object storage.
 */
export function validateArtifactPath(path: string, field = 'path'): string {
  const normal = normalizeArtifactPath(path, field);
  if (normal === '') {
    throw new CyclopsError('invalid_argument', `Artifact ${field} '${path}' is empty`, { field });
  }
  return normal;
}

/** Like `validateArtifactPath`, but `''` (the root) is allowed: for listing. */
export function validateArtifactPrefix(prefix: string, field = 'prefix'): string {
  return normalizeArtifactPath(prefix, field);
}

function normalizeArtifactPath(path: string, field: string): string {
  const reject = (why: string): never => {
    throw new CyclopsError('invalid_argument', `Artifact ${field} '${printable(path)}' ${why}`, { field });
  };
  if (typeof path !== 'string') reject('is not a string');
  if (path.length > MAX_ARTIFACT_PATH_LENGTH) {
    reject(`is longer than ${MAX_ARTIFACT_PATH_LENGTH} characters`);
  }
  if (path.includes('\0')) reject('contains a NUL byte');
  if (path.includes('\\')) reject('contains a backslash; use / as the separator');
  if (path.startsWith('/')) reject('is absolute; give a path relative to the artifact root');
  if (DRIVE_LETTER.test(path)) reject('starts with a drive letter; give a relative path');
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) reject("contains a '..' segment");
  return segments.join('/');
}

function printable(path: unknown): string {
  if (typeof path !== 'string') return String(path);
  const shown = path.replaceAll('\0', '\\0');
  return shown.length > 120 ? `${shown.slice(0, 120)}...` : shown;
}
