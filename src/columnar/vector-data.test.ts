import { describe, expect, it } from 'vitest';
import { withSession } from './index.js';
import { isValid, rawColumn } from './vector-data.js';

describe('rawColumn', () => {
  it('reads every type a normalized table holds as its bytes and validity', async () => {
    await withSession(async (s) => {
      const result = await s.stream(`SELECT * FROM (VALUES
        (7::BIGINT, 1.5::DOUBLE, true, DATE '1970-01-03', TIMESTAMP '1970-01-01 00:00:01', 'abc'),
        (NULL, NULL, NULL, NULL, NULL, NULL)) v(i, f, b, d, ts, s)`);
      const chunk = await result.fetchChunk();
      if (!chunk) throw new Error('no chunk');
      const [i, f, b, d, ts, str] = [0, 1, 2, 3, 4, 5].map((k) => rawColumn(chunk, k));
      expect(new BigInt64Array(i!.bytes.buffer, i!.bytes.byteOffset, 1)[0]).toBe(7n);
      expect(new Float64Array(f!.bytes.buffer, f!.bytes.byteOffset, 1)[0]).toBe(1.5);
      expect(b!.bytes[0]).toBe(1);
      expect(new Int32Array(d!.bytes.buffer, d!.bytes.byteOffset, 1)[0]).toBe(2);
      expect(new BigInt64Array(ts!.bytes.buffer, ts!.bytes.byteOffset, 1)[0]).toBe(1_000_000n);
      // A string_t: length, then the bytes inline.
      expect(new Uint32Array(str!.bytes.buffer, str!.bytes.byteOffset, 1)[0]).toBe(3);
      expect(Buffer.from(str!.bytes.subarray(4, 7)).toString()).toBe('abc');
      for (const c of [i, f, b, d, ts, str]) {
        expect([isValid(c!.validity, 0), isValid(c!.validity, 1)]).toEqual([true, false]);
      }
    });
  });
});
