import { sqlDouble } from '../../columnar/index.js';
import type { NodeOp, Slot } from '../graph.js';

/**
 * DuckDB SQL for the expression operations. Every value is finite or NULL (README.md, "Value
 * semantics"): DuckDB would give ±Infinity or NaN (1/0, exp(1000), pow(-8, 1/3)) or raise an error
 * (ln(0), sqrt(-1)), so each operation that could is wrapped to give NULL, never relying on a default.
 * Operands are slot columns or literals, so repeating one inside a CASE costs nothing.
 */
export interface SqlRefs {
  /** The operand as it is (a column name or a literal). */
  raw(slot: Slot): string;
  /** The operand as DOUBLE (integer columns are BIGINT). */
  num(slot: Slot): string;
}

type ExprOp = Extract<
  NodeOp,
  { op: 'unary' | 'round' | 'arith' | 'compare' | 'logic' | 'extreme' | 'coalesce' | 'if' }
>;

export const finite = (e: string): string => `CASE WHEN isfinite(${e}) THEN ${e} END`;

export function expressionSql(op: ExprOp, r: SqlRefs, numeric: (slot: Slot) => boolean): string {
  switch (op.op) {
    case 'arith': {
      const a = r.num(op.a);
      const b = r.num(op.b);
      return finite(op.fn === 'pow' ? `pow(${a}, ${b})` : `(${a} ${op.fn} ${b})`);
    }
    case 'compare': {
      const both = numeric(op.a) ? r.num : r.raw;
      return `(${both(op.a)} ${op.fn === '!=' ? '<>' : op.fn} ${both(op.b)})`;
    }
    case 'logic':
      return `(${r.raw(op.a)} ${op.fn.toUpperCase()} ${r.raw(op.b)})`;
    case 'unary':
      return unarySql(op.fn, op.fn === 'not' || op.fn === 'is_null' ? r.raw(op.x) : r.num(op.x));
    case 'round': {
      const x = r.num(op.x);
      if (op.digits === 0) return `round(${x})`;
      // round(x, d) is defined as DuckDB's own: scale by 10^|d|, round half away from zero, scale back.
      const m = sqlDouble(10 ** Math.abs(op.digits));
      return finite(op.digits > 0 ? `(round(${x} * ${m}) / ${m})` : `(round(${x} / ${m}) * ${m})`);
    }
    case 'extreme': {
      // least()/greatest() skip NULLs; a missing argument makes the result missing, as in arithmetic.
      const args = op.args.map(r.num);
      return `CASE WHEN ${args.map((a) => `${a} IS NULL`).join(' OR ')} THEN NULL ELSE ${op.fn === 'min' ? 'least' : 'greatest'}(${args.join(', ')}) END`;
    }
    case 'coalesce': {
      const ref = op.args.some(numeric) ? r.num : r.raw;
      return `coalesce(${op.args.map(ref).join(', ')})`;
    }
    case 'if': {
      const ref = numeric(op.yes) ? r.num : r.raw;
      // A NULL condition is not true: the else branch, as in SQL's CASE.
      return `CASE WHEN ${r.raw(op.cond)} THEN ${ref(op.yes)} ELSE ${ref(op.no)} END`;
    }
  }
}

function unarySql(fn: Extract<ExprOp, { op: 'unary' }>['fn'], x: string): string {
  switch (fn) {
    case 'neg':
      return `(- ${x})`;
    case 'abs':
    case 'floor':
    case 'ceil':
      return `${fn}(${x})`;
    case 'exp':
      return finite(`exp(${x})`);
    case 'sqrt':
      return `CASE WHEN ${x} >= 0 THEN sqrt(${x}) END`;
    case 'log':
      return `CASE WHEN ${x} > 0 THEN ln(${x}) END`;
    case 'log1p':
      // DuckDB has no log1p, and ln(1 + x) loses x's digits below 1e-16. Goldberg's form keeps them:
      // u = 1 + x rounded; ln(u) * x / (u - 1) corrects for the rounding (exact when u = 1).
      return `CASE WHEN ${x} > -1 THEN (CASE WHEN 1 + ${x} = 1 THEN ${x} ELSE ln(1 + ${x}) * (${x} / ((1 + ${x}) - 1)) END) END`;
    case 'not':
      return `(NOT ${x})`;
    case 'is_null':
      return `(${x} IS NULL)`;
  }
}
