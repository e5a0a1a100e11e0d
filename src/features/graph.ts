import type { ColumnType } from '../columnar/index.js';
import type { TransformScalar } from './transform.entity.js';

/**
 * The one intermediate form both engines consume: a spec is lowered into nodes, each computing one value
 * ("slot") from earlier slots, so every semantic rule (nulls, unseen categories, domains) is written once
 * per op in ops-sql.ts and once in ops-row.ts, next to each other, instead of once per transform.
 * Nodes are appended in dependency order: a node's operands always have smaller slots.
 */
export type Slot = number;

export type ArithFn = '+' | '-' | '*' | '/' | '%' | 'pow';
export type CompareFn = '<' | '<=' | '>' | '>=' | '=' | '!=';
export type UnaryFn = 'neg' | 'abs' | 'floor' | 'ceil' | 'exp' | 'sqrt' | 'log' | 'log1p' | 'not' | 'is_null';
export type DatePart = 'year' | 'month' | 'day' | 'weekday' | 'hour';
/** What an encoder does with a null or an unseen value: raise, give null, or give this code. */
export type CodePolicy = 'error' | 'null' | number;

export type NodeOp =
  | { op: 'input'; column: string }
  | { op: 'const'; value: TransformScalar | null }
  /** A value not known before fitting (a dry run): never computed. */
  | { op: 'unknown' }
  | { op: 'unary'; fn: UnaryFn; x: Slot }
  | { op: 'round'; x: Slot; digits: number }
  | { op: 'arith'; fn: ArithFn; a: Slot; b: Slot }
  | { op: 'compare'; fn: CompareFn; a: Slot; b: Slot }
  | { op: 'logic'; fn: 'and' | 'or'; a: Slot; b: Slot }
  | { op: 'extreme'; fn: 'min' | 'max'; args: Slot[] }
  | { op: 'coalesce'; args: Slot[] }
  | { op: 'if'; cond: Slot; yes: Slot; no: Slot }
  /** (x - center) / scale. */
  | { op: 'affine'; x: Slot; center: number; scale: number }
  | { op: 'clip'; x: Slot; min: number | null; max: number | null }
  /** The number of boundaries <= x. */
  | { op: 'bucket'; x: Slot; boundaries: number[] }
  /** The 0-based position of x among the categories, or the policy's outcome. `what` names it in errors. */
  | {
      op: 'encode';
      x: Slot;
      categories: TransformScalar[];
      unknown: CodePolicy;
      missing: CodePolicy;
      what: string;
    }
  /** 1 when code = match, null when code is one of `nullOn`, else 0. */
  | { op: 'indicator'; code: Slot; match: number; nullOn: number[] }
  | { op: 'date_part'; x: Slot; part: DatePart };

export interface GraphNode {
  readonly op: NodeOp;
  readonly type: ColumnType;
  /** Depends on a parameter not fitted yet: must not be computed. */
  readonly dirty: boolean;
}

/** The slot SQL names a node's column with (apply-sql.ts, fit.ts). */
export const slotColumn = (slot: Slot): string => `s${slot}`;

export function operands(op: NodeOp): Slot[] {
  switch (op.op) {
    case 'input':
    case 'const':
    case 'unknown':
      return [];
    case 'unary':
    case 'round':
    case 'affine':
    case 'clip':
    case 'bucket':
    case 'encode':
    case 'date_part':
      return [op.x];
    case 'arith':
    case 'compare':
    case 'logic':
      return [op.a, op.b];
    case 'extreme':
    case 'coalesce':
      return op.args;
    case 'if':
      return [op.cond, op.yes, op.no];
    case 'indicator':
      return [op.code];
  }
}

export class Graph {
  readonly nodes: GraphNode[] = [];
  private readonly inputs = new Map<string, Slot>();
  /** While set, every node added is dirty (a step lowered with parameters not yet fitted). */
  dirtyMode = false;

  add(op: NodeOp, type: ColumnType): Slot {
    const dirty = this.dirtyMode || op.op === 'unknown' || operands(op).some((s) => this.node(s).dirty);
    this.nodes.push({ op, type, dirty });
    return this.nodes.length - 1;
  }

  /** One node per input column, however many steps read it. */
  input(column: string, type: ColumnType): Slot {
    const existing = this.inputs.get(column);
    if (existing !== undefined) return existing;
    const slot = this.add({ op: 'input', column }, type);
    this.inputs.set(column, slot);
    return slot;
  }

  constant(value: TransformScalar | null, type: ColumnType): Slot {
    return this.add({ op: 'const', value }, type);
  }

  node(slot: Slot): GraphNode {
    const node = this.nodes[slot];
    if (!node) throw new RangeError(`no slot ${slot}`);
    return node;
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Forgets the nodes added since `size` (a dry run being replaced by the fitted steps). */
  truncate(size: number): void {
    this.nodes.length = size;
    for (const [column, slot] of this.inputs) if (slot >= size) this.inputs.delete(column);
  }

  /** The slots `targets` depend on, themselves included, ascending (which is dependency order). */
  reachable(targets: Iterable<Slot>): Slot[] {
    const seen = new Set<Slot>();
    const stack = [...targets];
    while (stack.length > 0) {
      const slot = stack.pop() as Slot;
      if (seen.has(slot)) continue;
      seen.add(slot);
      stack.push(...operands(this.node(slot).op));
    }
    return [...seen].sort((a, b) => a - b);
  }
}
