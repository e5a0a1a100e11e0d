import { type ColumnData, ColumnHasher, popCount } from './column-hash.js';
import { type CorrelationColumn, pairSums } from './correlation.js';
import { finishSummary, type NumberMoments, NumberStream, type NumberSummary } from './numeric-stats.js';

/**
 * The work of hashing and profiling a table once it is read: pure functions of memory any thread can
 * read, so compute-threads.ts can run them on either of two threads.
 */
export type ComputeTask =
  /**
   * A numeric column's summary from its doubles and the moments its scan gathered, then
   * (`correlate`) its preparation for pairing.
   */
  | { kind: 'summary'; doubles: Float64Array; moments: NumberMoments; correlate: boolean }
  /** The correlation sums of pairs [from, to). */
  | { kind: 'pairs'; columns: CorrelationColumn[]; from: number; to: number };

export interface SummaryResult {
  summary: NumberSummary;
  correlation?: CorrelationColumn;
}

export type ComputeResult = SummaryResult | Float64Array;

export function runTask(task: ComputeTask): ComputeResult {
  if (task.kind === 'pairs') return pairSums(task.columns, task.from, task.to);
  return finishSummary(task.doubles, task.moments, task.correlate);
}

/** The work done while a table is being read: columns are hashed and converted as rows arrive. */
export interface ScanJobSpec {
  columns: ColumnData[];
  hash: boolean;
  /** Numeric columns to convert to doubles, into shared arrays of the column's length. */
  doubles: { column: number; out: Float64Array }[];
}

export class ScanJob {
  private readonly hashers: ColumnHasher[];
  private readonly streams: NumberStream[];
  private readonly present: number[];
  private done = 0;

  constructor(private readonly spec: ScanJobSpec) {
    this.hashers = spec.hash ? spec.columns.map((c) => new ColumnHasher(c.type)) : [];
    this.streams = spec.doubles.map(() => new NumberStream());
    this.present = spec.columns.map(() => 0);
  }

  /** Rows [done, upTo) have arrived: convert and count the numeric ones (making them canonical), hash. */
  advance(upTo: number): void {
    if (upTo <= this.done) return;
    const converted = new Set<number>();
    this.spec.doubles.forEach(({ column, out }, k) => {
      this.streams[k]?.addColumn(this.spec.columns[column] as ColumnData, out, this.done, upTo);
      converted.add(column);
    });
    this.spec.columns.forEach((c, k) => {
      const hasher = this.hashers[k];
      const present = hasher
        ? hasher.add(c, this.done, upTo, converted.has(k))
        : countBits(c.validity, this.done, upTo);
      this.present[k] = (this.present[k] as number) + present;
    });
    this.done = upTo;
  }

  /** Every row has arrived: the columns' digests (empty without `hash`) and the numeric moments. */
  finish(rows: number): ScanJobResult {
    this.advance(rows);
    return {
      digests: this.hashers.map((h) => h.digest()),
      moments: this.streams.map((s) => s.moments()),
      present: this.present,
    };
  }
}

export interface ScanJobResult {
  digests: string[];
  /** One per ScanJobSpec.doubles entry. */
  moments: NumberMoments[];
  /** Non-NULL values per column. */
  present: number[];
}

/** Set bits [from, to) of validity words. */
function countBits(words: Uint32Array, from: number, to: number): number {
  let n = 0;
  let i = from;
  for (; i < to && i & 31; i++) n += ((words[i >>> 5] as number) >>> (i & 31)) & 1;
  for (; i + 32 <= to; i += 32) n += popCount(words[i >>> 5] as number);
  for (; i < to; i++) n += ((words[i >>> 5] as number) >>> (i & 31)) & 1;
  return n;
}

/**
 * Runs the hot loops once on a small made-up column, so V8 has compiled them before a real table
 * arrives (each thread compiles its own code). Costs a few milliseconds.
 */
export function warmUp(): void {
  const rows = 1 << 15;
  const bytes = new Uint8Array(rows * 8);
  const values = new Float64Array(bytes.buffer);
  for (let i = 0; i < rows; i++) values[i] = ((i * 2654435761) % 1000) / 7;
  const column: ColumnData = {
    type: 'float',
    rows,
    bytes,
    validity: new Uint32Array(rows / 32).fill(0xfffffffe),
  };
  const job = new ScanJob({ columns: [column], hash: true, doubles: [{ column: 0, out: values }] });
  const { moments } = job.finish(rows);
  const { correlation } = finishSummary(values, moments[0] as NumberMoments, true);
  if (correlation) pairSums([correlation, correlation], 0, 1);
}
