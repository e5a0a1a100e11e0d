import { sqlDouble } from '../../columnar/index.js';
import { invalid } from '../../core/index.js';
import type { FittedStep, StepConfig } from '../transform.entity.js';
import {
  asDouble,
  byColumn,
  dryInPlace,
  finiteOrNull,
  NUMERIC,
  nothingToFit,
  noValues,
  paramsFor,
  type StepContext,
  type StepKind,
  stepColumns,
} from './kind.js';

type Config = StepConfig<'bucketize'>;
type Fitted = FittedStep<'bucketize'>;

/**
 * The bucket index, in place: the number of boundaries <= x, so bucket i holds
 * boundaries[i-1] <= x < boundaries[i] (numpy.searchsorted side='right'); null stays null.
 * `quantiles: n` fits the boundaries as scikit-learn's KBinsDiscretizer(strategy='quantile') does:
 * the quantiles at 0, 1/n, ..., 1 (linear interpolation), edges within 1e-8 of the one before dropped,
 * then the inner edges kept. Repeated values can so give fewer than n buckets.
 */
export const bucketize: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    const entries = check(step, ctx);
    const n = step.quantiles;
    if (n === undefined) {
      const boundaries = step.boundaries ?? [];
      return nothingToFit({ ...step, fitted: byColumn(entries, () => ({ boundaries: [...boundaries] })) });
    }
    // numpy.percentile(x, numpy.linspace(0, 100, n + 1)) asks for exactly these probabilities.
    const probabilities = Array.from({ length: n + 1 }, (_, i) => (i === n ? 1 : (i * (100 / n)) / 100));
    const list = `[${probabilities.map(sqlDouble).join(', ')}]`;
    return {
      aggregates: entries.map((e) => `quantile_cont(${asDouble(e.slot)}, ${list})`),
      slots: entries.map((e) => e.slot),
      fit: (values) => ({
        ...step,
        fitted: byColumn(entries, (e, i) => {
          const edges = Array.isArray(values[i]) ? (values[i] as unknown[]).map(finiteOrNull) : [];
          if (edges.length === 0 || edges.some((v) => v === null)) throw noValues(ctx, e.name, i);
          const kept = (edges as number[]).filter((v, k) => k === 0 || v - (edges[k - 1] as number) > 1e-8);
          return { boundaries: kept.slice(1, -1) };
        }),
      }),
    };
  },

  lower(step, ctx) {
    for (const e of check(step, ctx)) {
      const { boundaries } = paramsFor(step.fitted, e.name, ctx.at);
      ascending(boundaries, `${ctx.at}.fitted`);
      const op = { op: 'bucket' as const, x: e.slot, boundaries: [...boundaries] };
      ctx.table.put(e.name, [{ name: e.name, type: 'integer', slot: ctx.graph.add(op, 'integer') }], ctx.at);
    }
  },

  dry(step, ctx) {
    dryInPlace(check(step, ctx), ctx, 'integer');
  },
};

function check(step: Config, ctx: StepContext) {
  if ((step.boundaries === undefined) === (step.quantiles === undefined)) {
    throw invalid(`${ctx.at}: bucketize needs either boundaries or quantiles`, { field: ctx.at });
  }
  if (step.boundaries) ascending(step.boundaries, `${ctx.at}.boundaries`);
  return stepColumns(step.columns, ctx, NUMERIC, 'bucketize');
}

function ascending(boundaries: readonly number[], field: string): void {
  for (let i = 1; i < boundaries.length; i++) {
    if (!((boundaries[i] as number) > (boundaries[i - 1] as number))) {
      throw invalid(`${field}: boundaries must be strictly ascending`, { field });
    }
  }
}
