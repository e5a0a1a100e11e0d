import type { NodeOp, Slot } from '../graph.js';

/**
 * The row engine's expression operations, twins of compile-sql.ts. Numeric and boolean values live in
 * a Float64Array (NaN = null, booleans 1/0), strings in an array (null = null). Each op reads its
 * operands' slots and writes its own: nothing is allocated, nothing boxed.
 */
export type Op = () => void;

export interface RowSlots {
  num: Float64Array;
  str: (string | null)[];
  /** Whether the slot holds a string (else a number or boolean). */
  isString(slot: Slot): boolean;
}

type ExprOp = Extract<
  NodeOp,
  { op: 'unary' | 'round' | 'arith' | 'compare' | 'logic' | 'extreme' | 'coalesce' | 'if' }
>;

/** Round half away from zero, as C's round() and DuckDB's round() do (Math.round rounds half up). */
export const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

export function expressionOp(op: ExprOp, out: Slot, s: RowSlots): Op {
  const { num, str } = s;
  switch (op.op) {
    case 'arith': {
      const { a, b } = op;
      switch (op.fn) {
        case '+':
          return () => {
            const v = num[a]! + num[b]!;
            num[out] = v - v === 0 ? v : Number.NaN;
          };
        case '-':
          return () => {
            const v = num[a]! - num[b]!;
            num[out] = v - v === 0 ? v : Number.NaN;
          };
        case '*':
          return () => {
            const v = num[a]! * num[b]!;
            num[out] = v - v === 0 ? v : Number.NaN;
          };
        case '/':
          return () => {
            const v = num[a]! / num[b]!;
            num[out] = v - v === 0 ? v : Number.NaN;
          };
        case '%':
          return () => {
            const v = num[a]! % num[b]!;
            num[out] = v - v === 0 ? v : Number.NaN;
          };
        case 'pow':
          return () => {
            const x = num[a]!;
            const y = num[b]!;
            // Math.pow(NaN, 0) is 1, but a missing operand makes a missing result.
            const v = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x ** y;
            num[out] = v - v === 0 ? v : Number.NaN;
          };
      }
      break;
    }
    case 'compare': {
      const { a, b, fn } = op;
      if (s.isString(a)) {
        const equal = fn === '=';
        return () => {
          const x = str[a];
          const y = str[b];
          num[out] = x == null || y == null ? Number.NaN : (x === y) === equal ? 1 : 0;
        };
      }
      const test = COMPARE[fn];
      return () => {
        const x = num[a]!;
        const y = num[b]!;
        num[out] = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : test(x, y) ? 1 : 0;
      };
    }
    case 'logic': {
      const { a, b } = op;
      // Kleene logic, as SQL: false AND null is false, true OR null is true.
      const dominant = op.fn === 'and' ? 0 : 1;
      return () => {
        const x = num[a]!;
        const y = num[b]!;
        num[out] =
          x === dominant || y === dominant
            ? dominant
            : Number.isNaN(x) || Number.isNaN(y)
              ? Number.NaN
              : 1 - dominant;
      };
    }
    case 'unary':
      return unaryOp(op.fn, op.x, out, s);
    case 'round': {
      const { x, digits } = op;
      const m = 10 ** Math.abs(digits);
      if (digits === 0)
        return () => {
          num[out] = roundHalfAway(num[x]!);
        };
      return () => {
        const v = digits > 0 ? roundHalfAway(num[x]! * m) / m : roundHalfAway(num[x]! / m) * m;
        num[out] = v - v === 0 ? v : Number.NaN;
      };
    }
    case 'extreme': {
      const args = Int32Array.from(op.args);
      const min = op.fn === 'min';
      return () => {
        let v = num[args[0]!]!;
        for (let i = 1; i < args.length && !Number.isNaN(v); i++) {
          const w = num[args[i]!]!;
          v = Number.isNaN(w) ? w : min ? (w < v ? w : v) : w > v ? w : v;
        }
        num[out] = v;
      };
    }
    case 'coalesce': {
      const args = Int32Array.from(op.args);
      // Two arguments is every impute step: worth its own loop-free op.
      if (args.length === 2) {
        const [a, b] = op.args as [Slot, Slot];
        if (s.isString(out)) {
          return () => {
            str[out] = str[a] ?? str[b] ?? null;
          };
        }
        return () => {
          const v = num[a]!;
          num[out] = Number.isNaN(v) ? num[b]! : v;
        };
      }
      if (s.isString(out)) {
        return () => {
          let v: string | null = null;
          for (let i = 0; i < args.length && v === null; i++) v = str[args[i]!] ?? null;
          str[out] = v;
        };
      }
      return () => {
        let v = Number.NaN;
        for (let i = 0; i < args.length && Number.isNaN(v); i++) v = num[args[i]!]!;
        num[out] = v;
      };
    }
    case 'if': {
      const { cond, yes, no } = op;
      // A null condition is not true: the else branch, as SQL's CASE.
      if (s.isString(out))
        return () => {
          str[out] = num[cond] === 1 ? str[yes]! : str[no]!;
        };
      return () => {
        num[out] = num[cond] === 1 ? num[yes]! : num[no]!;
      };
    }
  }
}

const COMPARE: Record<'<' | '<=' | '>' | '>=' | '=' | '!=', (x: number, y: number) => boolean> = {
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
  '=': (x, y) => x === y,
  '!=': (x, y) => x !== y,
};

function unaryOp(fn: Extract<ExprOp, { op: 'unary' }>['fn'], x: Slot, out: Slot, s: RowSlots): Op {
  const { num, str } = s;
  switch (fn) {
    case 'neg':
      return () => {
        num[out] = -num[x]!;
      };
    case 'abs':
      return () => {
        num[out] = Math.abs(num[x]!);
      };
    case 'floor':
      return () => {
        num[out] = Math.floor(num[x]!);
      };
    case 'ceil':
      return () => {
        num[out] = Math.ceil(num[x]!);
      };
    case 'exp':
      return () => {
        const v = Math.exp(num[x]!);
        num[out] = v - v === 0 ? v : Number.NaN;
      };
    case 'sqrt':
      return () => {
        num[out] = num[x]! >= 0 ? Math.sqrt(num[x]!) : Number.NaN;
      };
    case 'log':
      return () => {
        num[out] = num[x]! > 0 ? Math.log(num[x]!) : Number.NaN;
      };
    case 'log1p':
      return () => {
        num[out] = num[x]! > -1 ? Math.log1p(num[x]!) : Number.NaN;
      };
    case 'not':
      return () => {
        num[out] = 1 - num[x]!;
      };
    case 'is_null':
      if (s.isString(x))
        return () => {
          num[out] = str[x] === null ? 1 : 0;
        };
      return () => {
        num[out] = Number.isNaN(num[x]!) ? 1 : 0;
      };
  }
}
