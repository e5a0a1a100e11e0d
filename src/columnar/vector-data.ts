import { endianness } from 'node:os';
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import { CyclopsError } from '../core/index.js';

/**
 * One column of a result chunk as DuckDB holds it: the bytes of its fixed-width values (a VARCHAR is
 * its 16-byte string_t) and its validity bits. Reading them whole, instead of one JS value per cell
 * through getItem, is what makes hashing and profiling a million-row table in JS affordable.
 *
 * @duckdb/node-api keeps these views in fields it does not type as public (`items` or `dataView`, and
 * `validity.data`); the package version is pinned, and a layout change fails here (and in the tests)
 * instead of producing wrong numbers.
 */
export interface RawColumn {
  /** rowCount × the type's width, in the host's byte order (checked to be little-endian). */
  bytes: Uint8Array;
  /** Validity as 32-bit words, bit `i & 31` of word `i >>> 5`; null when every value is present. */
  validity: Uint32Array | null;
  vector: DuckDBVector;
}

interface VectorInternals {
  items?: unknown;
  dataView?: unknown;
  validity?: { data?: unknown; offset?: unknown };
}

if (endianness() !== 'LE') {
  throw new CyclopsError('internal', 'columnar: raw vector access assumes a little-endian host');
}

export function rawColumn(chunk: DuckDBDataChunk, column: number): RawColumn {
  const vector = chunk.getColumnVector(column);
  const inner = vector as unknown as VectorInternals;
  const view = ArrayBuffer.isView(inner.items) ? inner.items : inner.dataView;
  const validity = inner.validity;
  const words = validity?.data;
  if (
    !ArrayBuffer.isView(view) ||
    validity?.offset !== 0 ||
    !(words === null || words instanceof BigUint64Array)
  ) {
    throw new CyclopsError(
      'internal',
      `unexpected @duckdb/node-api vector layout for ${vector.type.toString()}`,
    );
  }
  return {
    bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength),
    validity: words ? new Uint32Array(words.buffer, words.byteOffset, words.length * 2) : null,
    vector,
  };
}

/** True when row `i` of a RawColumn is present (not NULL). */
export function isValid(validity: Uint32Array | null, i: number): boolean {
  return validity === null || ((validity[i >>> 5] as number) & (1 << (i & 31))) !== 0;
}
