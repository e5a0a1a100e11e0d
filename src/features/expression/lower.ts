import type { ColumnType } from '../../columnar/index.js';
import type { ArithFn, CompareFn, Graph, Slot } from '../graph.js';
import { type Expr, ExpressionError, type Typed, type ValueType } from './ast.js';
import { FUNCTION_NAMES, FUNCTIONS, VALUE_COLUMN_TYPE } from './functions.js';

/** Resolves a column reference to its slot, or returns a reason it cannot be used. */
export type ColumnScope = (name: string) => { slot: Slot; type: ColumnType } | string;

export interface LowerContext {
  graph: Graph;
  scope: ColumnScope;
}

/** Type-checks the tree and adds one graph node per operation; the result's slot holds its value. */
export function lowerExpression(expr: Expr, ctx: LowerContext): Typed {
  const { graph } = ctx;
  switch (expr.kind) {
    case 'number':
      return { slot: graph.constant(expr.value, 'float'), type: 'number' };
    case 'string':
      return { slot: graph.constant(expr.value, 'string'), type: 'string' };
    case 'boolean':
      return { slot: graph.constant(expr.value, 'boolean'), type: 'boolean' };
    case 'column': {
      const found = ctx.scope(expr.name);
      if (typeof found === 'string') throw new ExpressionError(found, expr.pos);
      const type = valueType(found.type);
      if (!type) {
        throw new ExpressionError(
          `column '${expr.name}' is a ${found.type}: expressions take numbers, strings and booleans (extract date parts with a date_parts step)`,
          expr.pos,
        );
      }
      return { slot: found.slot, type };
    }
    case 'unary': {
      const arg = lowerExpression(expr.arg, ctx);
      const want: ValueType = expr.op === '-' ? 'number' : 'boolean';
      if (arg.type !== want)
        throw new ExpressionError(`'${expr.op}' needs a ${want}, got a ${arg.type}`, expr.pos);
      const fn = expr.op === '-' ? 'neg' : 'not';
      return { slot: graph.add({ op: 'unary', fn, x: arg.slot }, VALUE_COLUMN_TYPE[want]), type: want };
    }
    case 'binary':
      return binary(expr, lowerExpression(expr.left, ctx), lowerExpression(expr.right, ctx), graph);
    case 'call': {
      const fn = Object.hasOwn(FUNCTIONS, expr.name) ? FUNCTIONS[expr.name] : undefined;
      if (!fn) {
        throw new ExpressionError(
          `unknown function '${expr.name}' (functions: ${FUNCTION_NAMES.join(', ')})`,
          expr.pos,
        );
      }
      const [min, max] = fn.arity;
      if (expr.args.length < min || expr.args.length > max) {
        const count =
          min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `${min} or more` : `${min} to ${max}`;
        throw new ExpressionError(
          `${expr.name}() takes ${count} argument${min === 1 && max === 1 ? '' : 's'}, got ${expr.args.length}`,
          expr.pos,
        );
      }
      return fn.lower(
        expr.args.map((arg) => lowerExpression(arg, ctx)),
        expr,
        graph,
      );
    }
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, a: Typed, b: Typed, graph: Graph): Typed {
  const { op } = expr;
  const mismatch = (want: string) =>
    new ExpressionError(`'${op}' needs ${want}, got a ${a.type} and a ${b.type}`, expr.pos);
  if (op === 'and' || op === 'or') {
    if (a.type !== 'boolean' || b.type !== 'boolean') throw mismatch('booleans');
    return { slot: graph.add({ op: 'logic', fn: op, a: a.slot, b: b.slot }, 'boolean'), type: 'boolean' };
  }
  if (op === '=' || op === '!=') {
    if (a.type !== b.type) throw mismatch('two values of one type');
    return { slot: graph.add({ op: 'compare', fn: op, a: a.slot, b: b.slot }, 'boolean'), type: 'boolean' };
  }
  if (a.type !== 'number' || b.type !== 'number') {
    // Strings are not ordered: DuckDB compares UTF-8 bytes and JavaScript UTF-16 units, which disagree.
    throw mismatch('numbers');
  }
  if (op === '<' || op === '<=' || op === '>' || op === '>=') {
    const fn: CompareFn = op;
    return { slot: graph.add({ op: 'compare', fn, a: a.slot, b: b.slot }, 'boolean'), type: 'boolean' };
  }
  const fn: ArithFn = op;
  return { slot: graph.add({ op: 'arith', fn, a: a.slot, b: b.slot }, 'float'), type: 'number' };
}

function valueType(type: ColumnType): ValueType | null {
  if (type === 'integer' || type === 'float') return 'number';
  if (type === 'string' || type === 'boolean') return type;
  return null;
}
