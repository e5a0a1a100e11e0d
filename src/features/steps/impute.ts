import { invalid } from '../../core/index.js';
import { slotColumn } from '../graph.js';
import type { Entry } from '../table.js';
import type { ColumnType, FittedStep, StepConfig, TransformScalar } from '../transform.entity.js';
import { compareValues, scalarFits } from './categories.js';
import {
  asDouble,
  byColumn,
  CATEGORICAL,
  dryInPlace,
  finiteOrNull,
  NUMERIC,
  noValues,
  paramsFor,
  type StepContext,
  type StepKind,
  stepColumns,
} from './kind.js';

type Config = StepConfig<'impute'>;
type Fitted = FittedStep<'impute'>;

/** Nulls (NaN and ±Infinity included: they are read as null) become the fitted value. */
export const impute: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    const entries = columnsOf(step, ctx);
    const aggregates = entries.map((e) => {
      if (step.strategy === 'mean') return `avg(${asDouble(e.slot)})`;
      if (step.strategy === 'median') return `quantile_cont(${asDouble(e.slot)}, 0.5)`;
      if (step.strategy === 'most_frequent') return `histogram(${slotColumn(e.slot)})`;
      return null;
    });
    const fit = (values: readonly unknown[]): Fitted => ({
      ...step,
      fitted: byColumn(entries, (e, i) => ({ value: fittedValue(step, e, values[i], ctx, i) })),
    });
    if (step.strategy === 'constant') return { aggregates: [], slots: [], fit };
    return { aggregates: aggregates as string[], slots: entries.map((e) => e.slot), fit };
  },

  lower(step, ctx) {
    const entries = columnsOf(step, ctx);
    for (const e of entries) {
      const { value } = paramsFor(step.fitted, e.name, ctx.at);
      const type = outputType(step, e.type, value);
      if (!scalarFits(value, type)) {
        throw invalid(`${ctx.at}.fitted: the value for '${e.name}' is not a ${type}`, {
          field: `${ctx.at}.fitted`,
        });
      }
      const fill = ctx.graph.constant(value, type);
      const slot = ctx.graph.add({ op: 'coalesce', args: [e.slot, fill] }, type);
      ctx.table.put(e.name, [{ name: e.name, type, slot }], ctx.at);
    }
  },

  dry(step, ctx) {
    for (const e of columnsOf(step, ctx)) dryInPlace([e], ctx, outputType(step, e.type, step.value ?? 0));
  },
};

function columnsOf(step: Config, ctx: StepContext): Entry[] {
  const numeric = step.strategy === 'mean' || step.strategy === 'median';
  const entries = stepColumns(step.columns, ctx, numeric ? NUMERIC : [...CATEGORICAL, 'float'], 'impute');
  const field = `${ctx.at}.value`;
  if (step.strategy !== 'constant') {
    if (step.value !== undefined)
      throw invalid(`${field}: only strategy 'constant' takes a value`, { field });
    return entries;
  }
  if (step.value === undefined) throw invalid(`${field}: strategy 'constant' needs a value`, { field });
  for (const e of entries) {
    const fits = e.type === 'integer' ? typeof step.value === 'number' : scalarFits(step.value, e.type);
    if (!fits) {
      throw invalid(`${field}: ${JSON.stringify(step.value)} cannot fill '${e.name}', a ${e.type} column`, {
        field,
        column: e.name,
      });
    }
  }
  return entries;
}

/** Means and medians are floats; a constant that is not whole makes an integer column float. */
function outputType(step: Config, type: ColumnType, value: TransformScalar): ColumnType {
  if (step.strategy === 'mean' || step.strategy === 'median') return 'float';
  return type === 'integer' && !Number.isInteger(value) ? 'float' : type;
}

function fittedValue(step: Config, e: Entry, raw: unknown, ctx: StepContext, i: number): TransformScalar {
  if (step.strategy === 'constant') return step.value as TransformScalar;
  if (step.strategy === 'most_frequent') {
    // The most frequent value; ties go to the smallest, as scikit-learn's SimpleImputer breaks them.
    let best: { key: TransformScalar; count: number } | null = null;
    for (const { key, value } of (raw ?? []) as { key: unknown; value: unknown }[]) {
      const k = (typeof key === 'bigint' ? Number(key) : key) as TransformScalar;
      const count = Number(value);
      if (!best || count > best.count || (count === best.count && compareValues(k, best.key) < 0)) {
        best = { key: k, count };
      }
    }
    if (!best) throw noValues(ctx, e.name, i);
    return best.key;
  }
  const value = finiteOrNull(raw);
  if (value === null) throw noValues(ctx, e.name, i);
  return value;
}
