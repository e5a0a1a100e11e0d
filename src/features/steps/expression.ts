import { invalid } from '../../core/index.js';
import { ExpressionError } from '../expression/ast.js';
import { lowerExpression } from '../expression/lower.js';
import { parseExpression } from '../expression/parser.js';
import type { Slot } from '../graph.js';
import type { FittedStep, StepConfig } from '../transform.entity.js';
import { nothingToFit, type StepContext, type StepKind } from './kind.js';

type Config = StepConfig<'expression'>;

/** A derived column, appended, or replacing the column of that name in place. See expression/. */
export const expression: StepKind<Config, FittedStep<'expression'>> = {
  plan(step, ctx) {
    // Checked by lowering it, then forgotten: the step is lowered for real after the plan.
    const mark = ctx.graph.size;
    try {
      compile(step, ctx);
    } finally {
      ctx.graph.truncate(mark);
    }
    return nothingToFit(step);
  },

  lower(step, ctx) {
    const slot = compile(step, ctx);
    ctx.table.put(step.name, [{ name: step.name, type: ctx.graph.node(slot).type, slot }], `${ctx.at}.name`);
  },

  dry(step, ctx) {
    expression.lower(step, ctx);
  },
};

function compile(step: Config, ctx: StepContext): Slot {
  const field = `${ctx.at}.expression`;
  try {
    const tree = parseExpression(step.expression);
    const scope = (name: string) => ctx.table.find(name) ?? `no column '${name}' at this step`;
    return lowerExpression(tree, { graph: ctx.graph, scope }).slot;
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    throw invalid(`${field}: ${err.message} at ${err.position}`, { field, position: err.position });
  }
}
