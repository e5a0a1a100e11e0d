import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken, searchFingerprint } from './page-token.js';

describe('page tokens', () => {
  const fp = searchFingerprint(['default', [0], 'active']);
  const cursor = {
    values: [Number.NaN, Number.NEGATIVE_INFINITY, 'x', null, 1.5],
    startTime: 5,
    runId: 'ab'.repeat(16),
  };

  it('round-trips values JSON cannot hold, as base64url', () => {
    const token = encodePageToken(fp, cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, fp, ['number', 'number', 'string', 'string', 'number'])).toEqual(cursor);
  });

  it('fingerprints the search shape, not its spelling', () => {
    expect(searchFingerprint(['default', [0], 'active'])).toBe(fp);
    expect(searchFingerprint(['default', [1], 'active'])).not.toBe(fp);
  });

  it.each([
    ['a sort value of the wrong type', ['number', 'number', 'number', 'string', 'number'], fp],
    ['a different number of sort keys', ['number'], fp],
    ['another search', ['number', 'number', 'string', 'string', 'number'], searchFingerprint('other')],
  ] as const)('rejects %s with field page_token', (_what, kinds, expected) => {
    const token = encodePageToken(fp, cursor);
    expect(() => decodePageToken(token, expected, kinds)).toThrow(
      expect.objectContaining({ code: 'invalid_argument', details: { field: 'page_token' } }),
    );
  });
});
