import { invalid } from '../../core/index.js';
import { type CodePolicy, slotColumn } from '../graph.js';
import type { FittedStep, StepConfig, TransformScalar } from '../transform.entity.js';
import { checkCategories, checkExplicit, distinctSql, fittedCategories } from './categories.js';
import {
  byColumn,
  CATEGORICAL,
  dryInPlace,
  noValues,
  paramsFor,
  type StepContext,
  type StepKind,
  stepColumns,
} from './kind.js';

type Config = StepConfig<'ordinal'>;
type Fitted = FittedStep<'ordinal'>;

const DEFAULT_MAX_ORDINAL_CATEGORIES = 10_000;

/**
 * The 0-based position of the value among the sorted categories (scikit-learn's OrdinalEncoder), in
 * place. An unseen value: an error (default), null, or a given integer code; a null: null (default),
 * an error, or a given integer code. A given code may not be one a category already has.
 */
export const ordinal: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    const entries = stepColumns(step.columns, ctx, CATEGORICAL, 'ordinal');
    checkExplicit(step.categories, step.columns, ctx);
    const max = step.max_categories ?? DEFAULT_MAX_ORDINAL_CATEGORIES;
    const explicitFor = (name: string) =>
      step.categories && Object.hasOwn(step.categories, name) ? step.categories[name] : undefined;
    const toFit = entries.filter((e) => !explicitFor(e.name));
    const resolved = { ...step, unknown: step.unknown ?? 'error', missing: step.missing ?? 'null' } as const;
    return {
      aggregates: toFit.map((e) => distinctSql(slotColumn(e.slot))),
      slots: toFit.map((e) => e.slot),
      fit: (values) => ({
        ...resolved,
        fitted: byColumn(entries, (e, i) => {
          const explicit = explicitFor(e.name);
          const categories = explicit ?? fittedCategories(values[toFit.indexOf(e)]);
          if (categories.length === 0) throw noValues(ctx, e.name, i);
          checkCategories(categories, e, explicit ? `${ctx.at}.categories` : `${ctx.at}.columns[${i}]`, max);
          checkPolicies(resolved, categories, ctx);
          return { categories: [...categories] };
        }),
      }),
    };
  },

  lower(step, ctx) {
    for (const e of stepColumns(step.columns, ctx, CATEGORICAL, 'ordinal')) {
      const { categories } = paramsFor(step.fitted, e.name, ctx.at);
      checkCategories(
        categories,
        e,
        `${ctx.at}.fitted`,
        step.max_categories ?? DEFAULT_MAX_ORDINAL_CATEGORIES,
      );
      checkPolicies(step, categories, ctx);
      const op = {
        op: 'encode' as const,
        x: e.slot,
        categories: [...categories],
        unknown: step.unknown,
        missing: step.missing,
        what: `${ctx.at} (ordinal) column '${e.name}'`,
      };
      const slot = ctx.graph.add(op, 'integer');
      ctx.table.put(e.name, [{ name: e.name, type: 'integer', slot }], ctx.at);
    }
  },

  dry(step, ctx) {
    dryInPlace(stepColumns(step.columns, ctx, CATEGORICAL, 'ordinal'), ctx, 'integer');
  },
};

function checkPolicies(
  step: { unknown: CodePolicy; missing: CodePolicy },
  categories: readonly TransformScalar[],
  ctx: StepContext,
): void {
  for (const key of ['unknown', 'missing'] as const) {
    const code = step[key];
    if (typeof code === 'number' && code >= 0 && code < categories.length) {
      const field = `${ctx.at}.${key}`;
      throw invalid(`${field}: ${code} is already the code of category ${JSON.stringify(categories[code])}`, {
        field,
      });
    }
  }
}
