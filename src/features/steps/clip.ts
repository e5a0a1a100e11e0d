import { invalid } from '../../core/index.js';
import type { FittedStep, StepConfig } from '../transform.entity.js';
import { dryInPlace, NUMERIC, nothingToFit, type StepContext, type StepKind, stepColumns } from './kind.js';

type Config = StepConfig<'clip'>;
type Fitted = FittedStep<'clip'>;

/** Limits values to [min, max] (either bound may be left out), in place; null stays null. */
export const clip: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    check(step, ctx);
    return nothingToFit(step);
  },

  lower(step, ctx) {
    for (const e of check(step, ctx)) {
      const op = { op: 'clip' as const, x: e.slot, min: step.min ?? null, max: step.max ?? null };
      ctx.table.put(e.name, [{ name: e.name, type: 'float', slot: ctx.graph.add(op, 'float') }], ctx.at);
    }
  },

  dry(step, ctx) {
    dryInPlace(check(step, ctx), ctx, 'float');
  },
};

function check(step: Config, ctx: StepContext) {
  if (step.min === undefined && step.max === undefined) {
    throw invalid(`${ctx.at}: clip needs min, max or both`, { field: ctx.at });
  }
  if (step.min !== undefined && step.max !== undefined && step.min > step.max) {
    const field = `${ctx.at}.min`;
    throw invalid(`${field}: ${step.min} is greater than max (${step.max})`, { field });
  }
  return stepColumns(step.columns, ctx, NUMERIC, 'clip');
}
