import { slotColumn } from '../graph.js';
import type { Entry } from '../table.js';
import type { FittedStep, StepConfig, TransformScalar } from '../transform.entity.js';
import { checkCategories, checkExplicit, distinctSql, fittedCategories } from './categories.js';
import { byColumn, CATEGORICAL, noValues, paramsFor, type StepKind, stepColumns } from './kind.js';

type Config = StepConfig<'one_hot'>;
type Fitted = FittedStep<'one_hot'>;

const DEFAULT_MAX_CATEGORIES = 100;
// Codes the encoder gives an unseen value and a null, for the indicators to act on.
const UNKNOWN = -1;
const MISSING = -2;

/**
 * One 0/1 column `<column>_<category>` per category, in category order, replacing the column.
 * An unseen value: all zeros ('ignore', scikit-learn's handle_unknown='ignore'), all null, or an error.
 * A null: all zeros ('ignore'), a 1 in an extra `<column>_null` column ('category'), all null, or an error.
 */
export const oneHot: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    const entries = stepColumns(step.columns, ctx, CATEGORICAL, 'one_hot');
    checkExplicit(step.categories, step.columns, ctx);
    const max = step.max_categories ?? DEFAULT_MAX_CATEGORIES;
    const toFit = entries.filter((e) => !explicitFor(step, e));
    const resolved = {
      ...step,
      unknown: step.unknown ?? 'ignore',
      missing: step.missing ?? 'ignore',
    } as const;
    return {
      aggregates: toFit.map((e) => distinctSql(slotColumn(e.slot))),
      slots: toFit.map((e) => e.slot),
      fit: (values) => ({
        ...resolved,
        fitted: byColumn(entries, (e, i) => {
          const explicit = explicitFor(step, e);
          const categories = explicit ?? fittedCategories(values[toFit.indexOf(e)]);
          if (categories.length === 0) throw noValues(ctx, e.name, i);
          checkCategories(categories, e, explicit ? `${ctx.at}.categories` : `${ctx.at}.columns[${i}]`, max);
          return { categories: [...categories] };
        }),
      }),
    };
  },

  lower(step, ctx) {
    const entries = stepColumns(step.columns, ctx, CATEGORICAL, 'one_hot');
    const nullOn = [
      ...(step.unknown === 'null' ? [UNKNOWN] : []),
      ...(step.missing === 'null' ? [MISSING] : []),
    ];
    entries.forEach((e, i) => {
      const { categories } = paramsFor(step.fitted, e.name, ctx.at);
      checkCategories(categories, e, `${ctx.at}.fitted`, step.max_categories ?? DEFAULT_MAX_CATEGORIES);
      const code = ctx.graph.add(
        {
          op: 'encode',
          x: e.slot,
          categories: [...categories],
          unknown: step.unknown === 'error' ? 'error' : UNKNOWN,
          missing: step.missing === 'error' ? 'error' : MISSING,
          what: `${ctx.at} (one_hot) column '${e.name}'`,
        },
        'integer',
      );
      const indicator = (name: string, match: number): Entry => ({
        name,
        type: 'integer',
        slot: ctx.graph.add({ op: 'indicator', code, match, nullOn }, 'integer'),
      });
      const outputs = categories.map((c, j) => indicator(`${e.name}_${String(c)}`, j));
      if (step.missing === 'category') outputs.push(indicator(`${e.name}_null`, MISSING));
      ctx.table.put(e.name, outputs, `${ctx.at}.columns[${i}]`);
    });
  },

  dry(step, ctx) {
    for (const e of stepColumns(step.columns, ctx, CATEGORICAL, 'one_hot')) {
      ctx.table.put(e.name, [], ctx.at);
      ctx.table.openPrefix(`${e.name}_`, ctx.graph.add({ op: 'unknown' }, 'integer'));
    }
  },
};

function explicitFor(step: Config, e: Entry): readonly TransformScalar[] | undefined {
  const explicit = step.categories;
  return explicit && Object.hasOwn(explicit, e.name) ? explicit[e.name] : undefined;
}
