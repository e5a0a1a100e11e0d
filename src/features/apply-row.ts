import { invalid } from '../core/index.js';
import type { Op, RowSlots } from './expression/compile-row.js';
import type { Graph, NodeOp, Slot } from './graph.js';
import { lowerSpec } from './lower-spec.js';
import { indicatorsOp, nodeOp } from './node-row.js';
import { type InputColumn, rowReader } from './row-input.js';
import type { OutputValue, RowTransform, TransformColumn, TransformSpec } from './transform.entity.js';

const NUMBER = 0;
const BOOLEAN = 1;
const TEXT = 2;

/**
 * Compiles a fitted spec for one row at a time. Everything is decided here, once: the needed inputs
 * get one reader and each node an op closure over two preallocated slot arrays, in dependency
 * order. Applying a row runs the readers, then the ops, then copies the outputs: per row it allocates
 * the output object and nothing else (applyInto: nothing at all).
 */
export function compileRowTransform(spec: TransformSpec): RowTransform {
  const { graph, outputs, required } = lowerSpec(spec);
  const needed = graph.reachable(outputs.map((o) => o.slot));
  const num = new Float64Array(graph.size);
  const str = new Array<string | null>(graph.size).fill(null);
  const slots: RowSlots = { num, str, isString: (slot) => graph.node(slot).type === 'string' };
  const inputs: InputColumn[] = [];
  const ops: Op[] = [];
  for (let k = 0; k < needed.length; k++) {
    const slot = needed[k] as Slot;
    const node = graph.node(slot);
    const op = node.op;
    if (op.op === 'input') inputs.push({ column: op.column, type: node.type, slot });
    else if (op.op === 'const') {
      if (typeof op.value === 'string') str[slot] = op.value;
      else num[slot] = op.value === null ? Number.NaN : Number(op.value);
    } else if (op.op === 'indicator') {
      // A one-hot step's indicators of one code are consecutive: one op for the run of them.
      const run: Slot[] = [slot];
      while (k + 1 < needed.length && sameIndicatorRun(graph, needed[k + 1] as Slot, op))
        run.push(needed[++k] as Slot);
      const indicators = run.map((s) => graph.node(s).op as typeof op);
      ops.push(indicatorsOp(op.code, indicators, run, slots));
    } else ops.push(nodeOp(node, slot, graph, slots));
  }

  const read = rowReader(inputs, num, str);
  const run = (row: Readonly<Record<string, unknown>>): void => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw invalid('a row must be an object of column values', { field: 'row' });
    }
    read(row);
    for (let i = 0; i < ops.length; i++) ops[i]!();
  };

  // One store loop per value kind keeps each store site to one kind of value.
  const kindOf = (type: TransformColumn['type']) =>
    type === 'integer' || type === 'float' ? NUMBER : type === 'boolean' ? BOOLEAN : TEXT;
  const byKind = (kind: number) => {
    const chosen = outputs.filter((o) => kindOf(o.type) === kind);
    return { names: chosen.map((o) => o.name), slots: Int32Array.from(chosen.map((o) => o.slot)) };
  };
  const numbers = byKind(NUMBER);
  const booleans = byKind(BOOLEAN);
  const texts = byKind(TEXT);
  // Cloning a template gives every output object one shape, in spec order (and own keys, even __proto__).
  const template: Record<string, OutputValue> = Object.fromEntries(outputs.map((o) => [o.name, null]));
  const numeric = outputs.filter((o) => kindOf(o.type) !== TEXT);
  const numericSlots = Int32Array.from(numeric.map((o) => o.slot));
  const columns = (list: readonly { name: string; type: TransformColumn['type'] }[]) =>
    list.map((c) => ({ name: c.name, type: c.type }));

  return {
    inputs: columns(required),
    outputs: columns(outputs),
    numericOutputs: columns(numeric),
    apply(row) {
      run(row);
      const out = { ...template };
      for (let i = 0; i < numbers.names.length; i++) {
        const v = num[numbers.slots[i]!]!;
        out[numbers.names[i]!] = Number.isNaN(v) ? null : v;
      }
      for (let i = 0; i < booleans.names.length; i++) {
        const v = num[booleans.slots[i]!]!;
        out[booleans.names[i]!] = Number.isNaN(v) ? null : v === 1;
      }
      for (let i = 0; i < texts.names.length; i++) out[texts.names[i]!] = str[texts.slots[i]!]!;
      return out;
    },
    applyInto(row, out, offset = 0) {
      if (offset < 0 || offset + numericSlots.length > out.length) {
        throw new RangeError(`applyInto needs ${numericSlots.length} values from offset ${offset}`);
      }
      run(row);
      for (let i = 0; i < numericSlots.length; i++) out[offset + i] = num[numericSlots[i]!]!;
    },
  };
}

function sameIndicatorRun(graph: Graph, slot: Slot, first: Extract<NodeOp, { op: 'indicator' }>): boolean {
  const op = graph.node(slot).op;
  return op.op === 'indicator' && op.code === first.code && op.nullOn.join() === first.nullOn.join();
}
