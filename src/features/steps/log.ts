import type { FittedStep, StepConfig } from '../transform.entity.js';
import { dryInPlace, NUMERIC, nothingToFit, type StepKind, stepColumns } from './kind.js';

type Config = StepConfig<'log'>;
type Fitted = FittedStep<'log'>;

/**
 * Natural logarithm, in place: 'log1p' is ln(1 + x) (default: defined from x > -1, so counts and zeros
 * keep their meaning), 'log' is ln(x) (defined from x > 0). Outside its domain the result is null, the
 * same rule as the expression functions log() and log1p(); an impute step after it can fill those.
 */
export const log: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    stepColumns(step.columns, ctx, NUMERIC, 'log');
    return nothingToFit({ ...step, function: step.function ?? 'log1p' });
  },

  lower(step, ctx) {
    for (const e of stepColumns(step.columns, ctx, NUMERIC, 'log')) {
      const slot = ctx.graph.add({ op: 'unary', fn: step.function, x: e.slot }, 'float');
      ctx.table.put(e.name, [{ name: e.name, type: 'float', slot }], ctx.at);
    }
  },

  dry(step, ctx) {
    dryInPlace(stepColumns(step.columns, ctx, NUMERIC, 'log'), ctx, 'float');
  },
};
