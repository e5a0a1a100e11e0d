import { invalid } from '../../core/index.js';
import { type Graph, type Slot, slotColumn } from '../graph.js';
import type { Entry, Table } from '../table.js';
import type { ColumnType } from '../transform.entity.js';

/** Where a step is lowered: the columns it sees, the graph it adds to, and its path for errors. */
export interface StepContext {
  readonly table: Table;
  readonly graph: Graph;
  /** `steps[3]`. */
  readonly at: string;
}

/** What a step must learn from the training table, and how it becomes a fitted step once learned. */
export interface Planned<F> {
  /** Aggregate expressions over slot columns (s<slot>), run in one SELECT with other steps'. */
  readonly aggregates: string[];
  readonly slots: Slot[];
  fit(values: readonly unknown[]): F;
}

export interface StepKind<C, F> {
  /** Checks the config step against the columns it will see; lists what it learns from data. */
  plan(step: C, ctx: StepContext): Planned<F>;
  /** Adds the fitted step's nodes and its effect on the columns. Re-checks everything it reads. */
  lower(step: F, ctx: StepContext): void;
  /** The step's effect on the columns before it is fitted (every slot it makes is dirty). */
  dry(step: C, ctx: StepContext): void;
}

export const NUMERIC: readonly ColumnType[] = ['integer', 'float'];
export const CATEGORICAL: readonly ColumnType[] = ['string', 'integer', 'boolean'];
export const DATETIME: readonly ColumnType[] = ['date', 'timestamp'];

export function nothingToFit<F>(fitted: F): Planned<F> {
  return { aggregates: [], slots: [], fit: () => fitted };
}

/** The step's columns, each checked to exist (once) and to have a type the step takes. */
export function stepColumns(
  columns: readonly string[],
  ctx: StepContext,
  accepts: readonly ColumnType[],
  what: string,
): Entry[] {
  return columns.map((name, i) => {
    const field = `${ctx.at}.columns[${i}]`;
    if (columns.indexOf(name) !== i)
      throw invalid(`${field}: '${name}' is listed twice`, { field, column: name });
    const entry = ctx.table.resolve(name, field);
    if (!accepts.includes(entry.type)) {
      const list = accepts.join(', ').replace(/, ([^,]*)$/, ' or $1');
      throw invalid(
        `${field}: ${what} needs a${/^[aeiou]/.test(list) ? 'n' : ''} ${list} column; '${name}' is ${entry.type}`,
        { field, column: name, type: entry.type },
      );
    }
    return entry;
  });
}

/** A fitted step's parameters for one column, or invalid_argument when the spec lacks them. */
export function paramsFor<P>(fitted: Readonly<Record<string, P>>, column: string, at: string): P {
  if (!Object.hasOwn(fitted, column)) {
    throw invalid(`${at}.fitted: no parameters for column '${column}'`, { field: `${at}.fitted`, column });
  }
  return fitted[column] as P;
}

/** Builds a `fitted` record keyed by column without letting a column named __proto__ set a prototype. */
export function byColumn<P>(
  entries: readonly Entry[],
  params: (entry: Entry, i: number) => P,
): Record<string, P> {
  return Object.fromEntries(entries.map((e, i) => [e.name, params(e, i)]));
}

/** Replaces each column by an unknown value of `type`. */
export function dryInPlace(entries: readonly Entry[], ctx: StepContext, type: ColumnType): void {
  for (const e of entries) {
    ctx.table.put(e.name, [{ name: e.name, type, slot: ctx.graph.add({ op: 'unknown' }, type) }], ctx.at);
  }
}

/** A slot column as DOUBLE, for aggregates. */
export const asDouble = (slot: Slot): string => `CAST(${slotColumn(slot)} AS DOUBLE)`;

/** A finite number from an aggregate result (DuckDB gives BIGINT as bigint), else null. */
export function finiteOrNull(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

export function noValues(ctx: StepContext, column: string, i: number): Error {
  const field = `${ctx.at}.columns[${i}]`;
  return invalid(`${field}: column '${column}' has no values to fit (all null)`, { field, column });
}
