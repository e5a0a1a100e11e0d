import { createHash } from 'node:crypto';
import type { ColumnType } from './normalize.js';

// Bumped if the encoding below ever changes, so old and new hashes never collide by accident.
export const HASH_VERSION = 'cyclops.table.v3';

/** Bytes per value as DuckDB stores each ColumnType (a string is its 16-byte string_t). */
export const WIDTH: Record<ColumnType, number> = {
  integer: 8,
  float: 8,
  boolean: 1,
  date: 4,
  timestamp: 8,
  string: 16,
};
/** Strings up to this many bytes sit whole in their string_t; longer ones are hashed by their MD5. */
export const INLINE = 12;

/** One column read whole (table-scan.ts), in memory any thread can read. */
export interface ColumnData {
  type: ColumnType;
  rows: number;
  /**
   * rows × WIDTH[type] bytes, little-endian, as DuckDB holds them (a NULL's slot holds anything until
   * ColumnHasher makes the values canonical in place).
   */
  bytes: Uint8Array;
  /** Validity bits: bit `i & 31` of word `i >>> 5` is 1 when row i is present. */
  validity: Uint32Array;
}

/**
 * The content hash of a normalized table: SHA-256 of the version, the column names and types, the
 * row count, each column's digest (hashColumn) and, when the table has a string column, the digest
 * of its long strings, one per line. The long strings' digest is the SHA-256, over the rows that have
 * a present string longer than 12 bytes and in row order, of the MD5 of those strings' bytes
 * concatenated in column order (DuckDB's md5_number: its 16 bytes are the digest). A string_t keeps
 * only the first 4 bytes of such a string; which strings are long, and how long, is in the columns'
 * own digests, so the concatenation is unambiguous.
 */
export function tableDigest(
  columns: { name: string; type: ColumnType }[],
  rows: number,
  digests: string[],
  longStrings: string | null,
): string {
  const hash = createHash('sha256');
  hash.update(`${HASH_VERSION}\n${JSON.stringify(columns.map((c) => [c.name, c.type]))}\n${rows}\n`);
  for (const d of digests) hash.update(`${d}\n`);
  if (longStrings !== null) hash.update(`${longStrings}\n`);
  return hash.digest('hex');
}

// Byte masks that keep the first 0..3 bytes of a little-endian word.
const KEEP = [0, 0xff, 0xffff, 0xffffff];

/**
 * One column's digest: the hex SHA-256 of its validity (the bits, row i as bit i % 32 of the
 * little-endian uint32 word i / 32, 1 when present, the last word's unused bits 0), then of its values
 * (WIDTH bytes per row, little-endian). Each is one stream over the rows, so the digest does not depend
 * on how the column was read or in what pieces it was hashed. Values are canonical (canonicalRows): a
 * float's -0 is 0 and its NaN, and a float NULL, are 0x7ff8000000000000 (the validity tells them
 * apart); any other NULL is zeros; a string is its byte length (uint32), then its bytes zero-padded to
 * 12 or, when longer, its first 4 bytes and 8 zero bytes (the rest of a long string is in
 * tableDigest's long-strings digest).
 */
export function hashColumn(column: ColumnData): string {
  const hasher = new ColumnHasher(column.type);
  hasher.add(column, 0, column.rows);
  return hasher.digest();
}

/** hashColumn in pieces: the rows of a column in order, from one ColumnData or a chunk at a time. */
export class ColumnHasher {
  private readonly valid = createHash('sha256');
  private readonly values = createHash('sha256');
  private readonly width: number;
  private readonly words = new Uint32Array(1024);
  private filled = 0;
  private carry = 0;
  private carried = 0;

  constructor(private readonly type: ColumnType) {
    this.width = WIDTH[type];
  }

  /**
   * Hashes rows [from, to) of `column`, the next rows of this column; returns how many are present.
   * Unless the caller already did (`canonical`), the rows are made canonical in place first.
   */
  add(column: ColumnData, from: number, to: number, canonical = false): number {
    const present = this.addBits(column.validity, from, to);
    const { width } = this;
    const block = column.bytes.subarray(from * width, to * width);
    if (!canonical) canonicalRows(this.type, block, column.validity, from, to - from);
    this.values.update(block);
    return present;
  }

  digest(): string {
    if (this.carried > 0) this.push(this.carry);
    this.valid.update(new Uint8Array(this.words.buffer, 0, this.filled * 4));
    return `${this.valid.digest('hex')}${this.values.digest('hex')}`;
  }

  /** Appends validity bits [from, to) to the packed stream, a word's worth at a time. */
  private addBits(validity: Uint32Array, from: number, to: number): number {
    let present = 0;
    for (let i = from; i < to; ) {
      const offset = i & 31;
      const take = Math.min(32 - offset, to - i, 32 - this.carried);
      const bits =
        take === 32
          ? (validity[i >>> 5] as number)
          : ((validity[i >>> 5] as number) >>> offset) & ((1 << take) - 1);
      present += popCount(bits);
      this.carry = (this.carry | (bits << this.carried)) >>> 0;
      this.carried += take;
      i += take;
      if (this.carried === 32) this.push(this.carry);
    }
    return present;
  }

  private push(word: number): void {
    this.words[this.filled++] = word;
    this.carry = 0;
    this.carried = 0;
    if (this.filled === this.words.length) {
      this.valid.update(new Uint8Array(this.words.buffer));
      this.filled = 0;
    }
  }
}

/** Set bits of a 32-bit word. */
export function popCount(word: number): number {
  let w = word - ((word >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Makes rows [from, from + rows) of a column canonical in place (see hashColumn); `bytes` holds just
 * those rows. A float column stays its doubles (NULL is NaN), so profiling can use it as it is.
 */
export function canonicalRows(
  type: ColumnType,
  bytes: Uint8Array,
  validity: Uint32Array,
  from: number,
  rows: number,
): void {
  if (type === 'float') canonicalFloats(bytes, validity, from, rows);
  else if (type === 'string') canonicalStrings(bytes, validity, from, rows);
  else zeroMissing(bytes, validity, from, rows, WIDTH[type]);
}

const NAN_HI = 0x7ff80000;

function missing(validity: Uint32Array, row: number): boolean {
  return (((validity[row >>> 5] as number) >>> (row & 31)) & 1) === 0;
}

function zeroMissing(
  bytes: Uint8Array,
  validity: Uint32Array,
  from: number,
  rows: number,
  width: number,
): void {
  if (width === 1) {
    for (let i = 0; i < rows; i++) if (missing(validity, from + i)) bytes[i] = 0;
    return;
  }
  const per = width / 4;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, rows * per);
  for (let i = 0; i < rows; i++) {
    if (missing(validity, from + i)) {
      words[per * i] = 0;
      if (per === 2) words[per * i + 1] = 0;
    }
  }
}

function canonicalFloats(bytes: Uint8Array, validity: Uint32Array, from: number, rows: number): void {
  const values = new Float64Array(bytes.buffer, bytes.byteOffset, rows);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, rows * 2);
  for (let i = 0; i < rows; i++) {
    const v = values[i] as number;
    if (missing(validity, from + i) || Number.isNaN(v)) {
      words[2 * i] = 0;
      words[2 * i + 1] = NAN_HI;
    } else if (v === 0) {
      words[2 * i] = 0;
      words[2 * i + 1] = 0;
    }
  }
}

function canonicalStrings(bytes: Uint8Array, validity: Uint32Array, from: number, rows: number): void {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, rows * 4);
  for (let i = 0; i < rows; i++) {
    const o = 4 * i;
    if (missing(validity, from + i)) {
      words[o] = 0;
      words[o + 1] = 0;
      words[o + 2] = 0;
      words[o + 3] = 0;
      continue;
    }
    const length = words[o] as number;
    if (length > INLINE) {
      // Length and 4-byte prefix stay; the pointer goes.
      words[o + 2] = 0;
      words[o + 3] = 0;
    } else if (length < INLINE) {
      // The string's bytes end at byte 4 + length of the 16: zero the rest of that word and those after.
      const end = 4 + length;
      const w = end >>> 2;
      words[o + w] = (words[o + w] as number) & (KEEP[end & 3] as number);
      for (let k = w + 1; k < 4; k++) words[o + k] = 0;
    }
  }
}
