import { createHash } from 'node:crypto';
import { CyclopsError } from '../../core/index.js';

/** Where the previous page ended: its last row's sort values, then the tie-breakers. */
export interface PageCursor {
  values: (string | number | null)[];
  startTime: number;
  runId: string;
}

export type SortValueKind = 'number' | 'string';

const VERSION = 1;
// JSON has no NaN or infinities, yet metrics may hold them; they travel as these strings.
const NON_FINITE: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

/** A short digest of everything that shapes the result order, so a token only resumes its own search. */
export function searchFingerprint(shape: unknown): string {
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 16);
}

export function encodePageToken(fingerprint: string, cursor: PageCursor): string {
  const values = cursor.values.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  const body = { v: VERSION, q: fingerprint, k: values, t: cursor.startTime, r: cursor.runId };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** `kinds` gives the type of each sort value, as the current order_by expects. */
export function decodePageToken(
  token: string,
  fingerprint: string,
  kinds: readonly SortValueKind[],
): PageCursor {
  const body = parseBody(token);
  if (typeof body.q !== 'string') throw tokenError('Invalid page token: not a token this server issued');
  if (body.q !== fingerprint) {
    throw tokenError(
      'The page token belongs to a different search (its filter, order_by, experiments or view type changed): ' +
        'repeat the search without a page token',
    );
  }
  const raw = body.k;
  if (!Array.isArray(raw) || raw.length !== kinds.length) throw tokenError('Invalid page token');
  const values = raw.map((v: unknown, i) => {
    if (v === null) return null;
    if (kinds[i] === 'string' && typeof v === 'string') return v;
    if (kinds[i] === 'number' && typeof v === 'number') return v;
    if (kinds[i] === 'number' && typeof v === 'string' && NON_FINITE.has(v)) return NON_FINITE.get(v)!;
    throw tokenError('Invalid page token');
  });
  if (!Number.isSafeInteger(body.t) || typeof body.r !== 'string' || body.r.length === 0) {
    throw tokenError('Invalid page token');
  }
  return { values, startTime: body.t as number, runId: body.r };
}

function parseBody(token: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw tokenError('Invalid page token: not base64url');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw tokenError('Invalid page token: not a token this server issued');
  }
  if (typeof body !== 'object' || body === null || (body as { v?: unknown }).v !== VERSION) {
    throw tokenError('Invalid page token: not a token this server issued');
  }
  return body as Record<string, unknown>;
}

function tokenError(message: string): CyclopsError {
  return new CyclopsError('invalid_argument', message, { field: 'page_token' });
}
