import { invalid } from '../core/index.js';
import { civilPart, isoWeekday, MS_PER_DAY } from './dates.js';
import { expressionOp, type Op, type RowSlots } from './expression/compile-row.js';
import type { CodePolicy, Graph, GraphNode, NodeOp, Slot } from './graph.js';
import { encodeErrorMessage } from './semantics.js';

/**
 * The closure computing one node for the row engine: the twin of node-sql.ts, op for op.
 * See expression/compile-row.ts for how values are held.
 */
export function nodeOp(node: GraphNode, out: Slot, graph: Graph, s: RowSlots): Op {
  const { num } = s;
  const op = node.op;
  switch (op.op) {
    case 'input':
    case 'const':
    case 'unknown':
      throw new Error(`${op.op} nodes are not computed`);
    case 'affine': {
      const { x, center, scale } = op;
      return () => {
        const v = (num[x]! - center) / scale;
        num[out] = v - v === 0 ? v : Number.NaN;
      };
    }
    case 'clip': {
      const { x } = op;
      const lo = op.min ?? Number.NEGATIVE_INFINITY;
      const hi = op.max ?? Number.POSITIVE_INFINITY;
      return () => {
        const v = num[x]!;
        num[out] = v < lo ? lo : v > hi ? hi : v;
      };
    }
    case 'bucket': {
      const { x } = op;
      const edges = Float64Array.from(op.boundaries);
      return () => {
        const v = num[x]!;
        if (Number.isNaN(v)) {
          num[out] = v;
          return;
        }
        // The number of edges <= v: binary search for the first edge > v.
        let lo = 0;
        let hi = edges.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (edges[mid]! <= v) lo = mid + 1;
          else hi = mid;
        }
        num[out] = lo;
      };
    }
    case 'encode':
      return encodeOp(op, out, graph.node(op.x).type === 'boolean', s);
    case 'indicator': {
      const { code, match } = op;
      const nullOn = op.nullOn;
      return () => {
        const c = num[code]!;
        num[out] = Number.isNaN(c) || nullOn.includes(c) ? Number.NaN : c === match ? 1 : 0;
      };
    }
    case 'date_part': {
      const { x, part } = op;
      // Dates hold days since the epoch, timestamps milliseconds.
      const perDay = graph.node(x).type === 'date' ? 1 : MS_PER_DAY;
      if (part === 'hour')
        return () => {
          num[out] = Math.floor((((num[x]! % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 3_600_000);
        };
      if (part === 'weekday')
        return () => {
          num[out] = isoWeekday(Math.floor(num[x]! / perDay));
        };
      return () => {
        const t = num[x]!;
        num[out] = Number.isNaN(t) ? t : civilPart(Math.floor(t / perDay), part);
      };
    }
    default:
      return expressionOp(op, out, s);
  }
}

/**
 * All the indicators of one encoded column as one op: a one-hot step makes one indicator node per
 * category, and calling a closure per category would cost more than the comparisons themselves.
 */
export function indicatorsOp(
  code: Slot,
  indicators: readonly Extract<NodeOp, { op: 'indicator' }>[],
  outs: readonly Slot[],
  s: RowSlots,
): Op {
  const { num } = s;
  const slots = Int32Array.from(outs);
  const matches = Float64Array.from(indicators.map((i) => i.match));
  const nullOn = indicators[0]?.nullOn ?? [];
  if (indicators.some((i) => i.code !== code || i.nullOn.join() !== nullOn.join())) {
    throw new Error('indicators of one op must share their code and null codes');
  }
  return () => {
    const c = num[code]!;
    if (Number.isNaN(c) || nullOn.includes(c)) {
      for (let i = 0; i < slots.length; i++) num[slots[i]!] = Number.NaN;
    } else {
      for (let i = 0; i < slots.length; i++) num[slots[i]!] = c === matches[i] ? 1 : 0;
    }
  };
}

function encodeOp(op: Extract<NodeOp, { op: 'encode' }>, out: Slot, boolean: boolean, s: RowSlots): Op {
  const { num, str } = s;
  const { x } = op;
  const outcome = (policy: CodePolicy, kind: 'missing' | 'unknown') => {
    if (policy === 'null') return () => Number.NaN;
    if (policy !== 'error') return () => policy;
    return (value: unknown) => {
      const shown = boolean ? value === 1 : value;
      throw invalid(encodeErrorMessage(op.what, kind, shown), { value: shown ?? null });
    };
  };
  const missing = outcome(op.missing, 'missing');
  const unknown = outcome(op.unknown, 'unknown');
  if (s.isString(x)) {
    const codes = new Map(op.categories.map((c, i) => [c as string, i]));
    return () => {
      const v = str[x];
      if (v === null || v === undefined) num[out] = missing(null);
      else num[out] = codes.get(v) ?? unknown(v);
    };
  }
  // Booleans are held as 1 and 0.
  const codes = new Map(op.categories.map((c, i) => [typeof c === 'boolean' ? Number(c) : (c as number), i]));
  return () => {
    const v = num[x]!;
    if (Number.isNaN(v)) num[out] = missing(null);
    else num[out] = codes.get(v) ?? unknown(v);
  };
}
