import { invalid } from '../../core/index.js';
import type { Entry } from '../table.js';
import type { FittedStep, StepConfig } from '../transform.entity.js';
import { DATETIME, nothingToFit, type StepContext, type StepKind, stepColumns } from './kind.js';

type Config = StepConfig<'date_parts'>;

/**
 * Integer columns `<column>_<part>` in UTC (normalized tables hold instants as UTC wall time): year,
 * month 1-12, day of month 1-31, weekday ISO 8601 (Monday = 1 ... Sunday = 7, DuckDB's isodow; pandas'
 * dayofweek is this minus 1), hour 0-23 (timestamps only). They replace the column unless `keep`.
 */
export const dateParts: StepKind<Config, FittedStep<'date_parts'>> = {
  plan(step, ctx) {
    check(step, ctx);
    return nothingToFit(step);
  },

  lower(step, ctx) {
    for (const e of check(step, ctx)) {
      const parts: Entry[] = step.parts.map((part) => ({
        name: `${e.name}_${part}`,
        type: 'integer',
        slot: ctx.graph.add({ op: 'date_part', x: e.slot, part }, 'integer'),
      }));
      ctx.table.put(e.name, step.keep ? [e, ...parts] : parts, ctx.at);
    }
  },

  dry(step, ctx) {
    dateParts.lower(step, ctx);
  },
};

function check(step: Config, ctx: StepContext): Entry[] {
  const entries = stepColumns(step.columns, ctx, DATETIME, 'date_parts');
  step.parts.forEach((part, i) => {
    const field = `${ctx.at}.parts[${i}]`;
    if (step.parts.indexOf(part) !== i) throw invalid(`${field}: '${part}' is listed twice`, { field });
    const date = entries.find((e) => e.type === 'date');
    if (part === 'hour' && date) {
      throw invalid(`${field}: 'hour' needs a timestamp column; '${date.name}' is a date`, {
        field,
        column: date.name,
      });
    }
  });
  return entries;
}
