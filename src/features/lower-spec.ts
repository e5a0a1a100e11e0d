import { invalid } from '../core/index.js';
import { Graph } from './graph.js';
import { lowerStep } from './steps/registry.js';
import { type Entry, Table } from './table.js';
import { TRANSFORM_SPEC_FORMAT, type TransformColumn, type TransformSpec } from './transform.entity.js';

export interface LoweredSpec {
  graph: Graph;
  /** The spec's outputs, each bound to its slot. */
  outputs: Entry[];
  /** The inputs some output depends on: what a row or table must carry. */
  required: TransformColumn[];
}

/**
 * A fitted spec as graph nodes, re-checking every step against the columns it sees, and that the steps
 * produce the outputs the spec lists: a stored spec is trusted no further than that.
 */
export function lowerSpec(spec: TransformSpec): LoweredSpec {
  if (spec.format !== TRANSFORM_SPEC_FORMAT) {
    throw invalid(`format: '${spec.format}' is not '${TRANSFORM_SPEC_FORMAT}'`, { field: 'format' });
  }
  const names = new Set<string>();
  spec.inputs.forEach((c, i) => {
    if (names.has(c.name))
      throw invalid(`inputs[${i}]: '${c.name}' is listed twice`, { field: `inputs[${i}]` });
    names.add(c.name);
  });
  const graph = new Graph();
  const table = Table.fromInputs(spec.inputs, graph);
  spec.steps.forEach((step, i) => {
    lowerStep(step, { table, graph, at: `steps[${i}]` });
  });
  const outputs = table.columns();
  const produced = outputs.map((o) => `${o.name}:${o.type}`).join(', ');
  const listed = spec.outputs.map((o) => `${o.name}:${o.type}`).join(', ');
  if (produced !== listed) {
    throw invalid(`outputs: the steps produce [${produced}], the spec lists [${listed}]`, {
      field: 'outputs',
    });
  }
  const reachable = new Set(graph.reachable(outputs.map((o) => o.slot)));
  const required = spec.inputs.filter((c) => reachable.has(graph.input(c.name, c.type)));
  return { graph, outputs, required };
}

/** The input columns a row or table must carry for this spec: those some output depends on. */
export function requiredInputs(spec: TransformSpec): TransformColumn[] {
  return lowerSpec(spec).required.map((c) => ({ name: c.name, type: c.type }));
}
