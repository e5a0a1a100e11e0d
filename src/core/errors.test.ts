import { describe, expect, it } from 'vitest';
import {
  CyclopsError,
  ERROR_STATUS,
  type ErrorCode,
  httpStatusFor,
  invalid,
  isCyclopsError,
  notFound,
} from './errors.js';

/** The contract with clients: changing one of these is a breaking API change. */
const EXPECTED: Record<ErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  store_locked: 423,
  unavailable: 503,
  internal: 500,
};

describe('ERROR_STATUS', () => {
  it('has exactly the expected codes', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s maps to %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
    expect(new CyclopsError(code as ErrorCode, 'x').status).toBe(status);
  });

  it('unknown codes map to 500', () => {
    expect(httpStatusFor('unknown')).toBe(500);
    expect(httpStatusFor('')).toBe(500);
    expect(httpStatusFor('INTERNAL')).toBe(500);
  });

  // Only own keys are codes: inherited names like 'toString' must not yield a status.
  it.each(['toString', 'constructor', '__proto__'])('prototype key %s maps to 500', (code) => {
    expect(httpStatusFor(code)).toBe(500);
  });
});

describe('CyclopsError', () => {
  it('is an Error with a code, message, details and cause', () => {
    const cause = new Error('root');
    const e = new CyclopsError('conflict', 'run is finished', { field: '/status', runId: 'r1' }, { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CyclopsError');
    expect(e.code).toBe('conflict');
    expect(e.message).toBe('run is finished');
    expect(e.details).toEqual({ field: '/status', runId: 'r1' });
    expect(e.cause).toBe(cause);
    expect(isCyclopsError(e)).toBe(true);
    expect(isCyclopsError(new Error('x'))).toBe(false);
    expect(isCyclopsError({ code: 'conflict', message: 'x' })).toBe(false);
  });

  it('serializes to {code, message, details} and nothing else', () => {
    const e = new CyclopsError('not_found', 'no such run', { id: 'r1' }, { cause: new Error('secret') });
    expect(e.toJSON()).toEqual({ code: 'not_found', message: 'no such run', details: { id: 'r1' } });
    expect(JSON.parse(JSON.stringify({ error: e }))).toEqual({
      error: { code: 'not_found', message: 'no such run', details: { id: 'r1' } },
    });
    expect(JSON.stringify(e)).not.toContain('secret');
    expect(JSON.stringify(e)).not.toContain('stack');
  });

  it('defaults details to an empty object', () => {
    expect(new CyclopsError('internal', 'x').toJSON()).toEqual({
      code: 'internal',
      message: 'x',
      details: {},
    });
  });

  it('has helpers for the common cases', () => {
    const i = invalid('bad', { field: '/a' });
    expect(i.code).toBe('invalid_argument');
    expect(i.details).toEqual({ field: '/a' });
    const n = notFound('experiment', '42');
    expect(n.code).toBe('not_found');
    expect(n.status).toBe(404);
    expect(n.message).toBe("experiment '42' does not exist");
    expect(n.details).toEqual({ entity: 'experiment', id: '42' });
  });
});
