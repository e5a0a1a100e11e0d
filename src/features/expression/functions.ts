import type { ColumnType } from '../../columnar/index.js';
import type { Graph, UnaryFn } from '../graph.js';
import { type Expr, ExpressionError, type Typed, type ValueType } from './ast.js';

export const VALUE_COLUMN_TYPE: Record<ValueType, ColumnType> = {
  number: 'float',
  string: 'string',
  boolean: 'boolean',
};

type Call = Extract<Expr, { kind: 'call' }>;

interface FunctionDef {
  /** Least and most arguments. */
  arity: [number, number];
  lower(args: Typed[], call: Call, graph: Graph): Typed;
}

/** Most digits round() takes: 10^15 is exact and keeps x * 10^digits within a double's integers. */
const MAX_ROUND_DIGITS = 15;

function expect(call: Call, args: Typed[], index: number, type: ValueType): Typed {
  const arg = args[index] as Typed;
  if (arg.type !== type) {
    throw new ExpressionError(
      `${call.name}() argument ${index + 1} must be a ${type}, got a ${arg.type}`,
      (call.args[index] as Expr).pos,
    );
  }
  return arg;
}

const numeric =
  (fn: UnaryFn): FunctionDef['lower'] =>
  (args, call, graph) => ({
    slot: graph.add({ op: 'unary', fn, x: expect(call, args, 0, 'number').slot }, 'float'),
    type: 'number',
  });

/** Arguments all of one type, which the result has. */
function sameType(call: Call, args: Typed[], only?: ValueType): ValueType {
  const type = only ?? (args[0] as Typed).type;
  for (let i = 0; i < args.length; i++) expect(call, args, i, type);
  return type;
}

export const FUNCTIONS: Record<string, FunctionDef> = {
  abs: { arity: [1, 1], lower: numeric('abs') },
  floor: { arity: [1, 1], lower: numeric('floor') },
  ceil: { arity: [1, 1], lower: numeric('ceil') },
  exp: { arity: [1, 1], lower: numeric('exp') },
  sqrt: { arity: [1, 1], lower: numeric('sqrt') },
  log: { arity: [1, 1], lower: numeric('log') },
  log1p: { arity: [1, 1], lower: numeric('log1p') },
  pow: {
    arity: [2, 2],
    lower: (args, call, graph) => ({
      slot: graph.add(
        {
          op: 'arith',
          fn: 'pow',
          a: expect(call, args, 0, 'number').slot,
          b: expect(call, args, 1, 'number').slot,
        },
        'float',
      ),
      type: 'number',
    }),
  },
  round: {
    arity: [1, 2],
    lower: (args, call, graph) => {
      const x = expect(call, args, 0, 'number');
      const digits = call.args[1] ? integerLiteral(call.args[1]) : 0;
      if (digits === null || Math.abs(digits) > MAX_ROUND_DIGITS) {
        throw new ExpressionError(
          `round() digits must be an integer literal from -${MAX_ROUND_DIGITS} to ${MAX_ROUND_DIGITS}`,
          (call.args[1] as Expr).pos,
        );
      }
      return { slot: graph.add({ op: 'round', x: x.slot, digits }, 'float'), type: 'number' };
    },
  },
  min: {
    arity: [2, 64],
    lower: (args, call, graph) => {
      sameType(call, args, 'number');
      return {
        slot: graph.add({ op: 'extreme', fn: 'min', args: args.map((a) => a.slot) }, 'float'),
        type: 'number',
      };
    },
  },
  max: {
    arity: [2, 64],
    lower: (args, call, graph) => {
      sameType(call, args, 'number');
      return {
        slot: graph.add({ op: 'extreme', fn: 'max', args: args.map((a) => a.slot) }, 'float'),
        type: 'number',
      };
    },
  },
  coalesce: {
    arity: [2, 64],
    lower: (args, call, graph) => {
      const type = sameType(call, args);
      const op = { op: 'coalesce' as const, args: args.map((a) => a.slot) };
      return { slot: graph.add(op, VALUE_COLUMN_TYPE[type]), type };
    },
  },
  if: {
    arity: [3, 3],
    lower: (args, call, graph) => {
      const cond = expect(call, args, 0, 'boolean');
      const [, a, b] = args as [Typed, Typed, Typed];
      const type = a.type;
      if (a.type !== b.type) {
        throw new ExpressionError(
          `if() branches must have one type, got a ${a.type} and a ${b.type}`,
          (call.args[2] as Expr).pos,
        );
      }
      const op = { op: 'if' as const, cond: cond.slot, yes: a.slot, no: b.slot };
      return { slot: graph.add(op, VALUE_COLUMN_TYPE[type]), type };
    },
  },
  is_null: {
    arity: [1, 1],
    lower: (args, _call, graph) => ({
      slot: graph.add({ op: 'unary', fn: 'is_null', x: (args[0] as Typed).slot }, 'boolean'),
      type: 'boolean',
    }),
  },
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS).sort();

function integerLiteral(e: Expr): number | null {
  if (e.kind === 'number') return Number.isInteger(e.value) ? e.value : null;
  if (e.kind === 'unary' && e.op === '-' && e.arg.kind === 'number') {
    return Number.isInteger(e.arg.value) ? -e.arg.value : null;
  }
  return null;
}
