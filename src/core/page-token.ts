import { invalid } from './errors.js';

/** Opaque page tokens: base64url JSON, rejected with a clear error when tampered with. */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeToken<T>(token: string, check: (v: unknown) => v is T, field = 'page_token'): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid(`${field}: not a page token returned by this server`, { field });
  }
  if (!check(value)) throw invalid(`${field}: not a page token returned by this server`, { field });
  return value;
}

export const isNonNegativeInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
