import type { FittedStep, StepConfig } from '../transform.entity.js';
import { nothingToFit, type StepKind } from './kind.js';

type Config = StepConfig<'drop'>;

/** Removes columns: what a model should not see (ids, free text) or what a later step no longer needs. */
export const drop: StepKind<Config, FittedStep<'drop'>> = {
  plan(step, ctx) {
    resolveAll(step, ctx.table.resolve.bind(ctx.table), ctx.at);
    return nothingToFit(step);
  },

  lower(step, ctx) {
    resolveAll(step, ctx.table.resolve.bind(ctx.table), ctx.at);
    for (const name of step.columns) ctx.table.put(name, [], ctx.at);
  },

  dry(step, ctx) {
    drop.lower(step, ctx);
  },
};

function resolveAll(step: Config, resolve: (name: string, field: string) => unknown, at: string): void {
  step.columns.forEach((name, i) => {
    resolve(name, `${at}.columns[${i}]`);
  });
}
