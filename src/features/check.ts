import { parseTransformConfig } from './config.js';
import { Graph } from './graph.js';
import { dryStep, lowerStep, planStep } from './steps/registry.js';
import { Table } from './table.js';
import type { TransformColumn } from './transform.entity.js';

/**
 * Checks a config against the columns of the table it will be fitted on, without the data: its shape,
 * then each step in order (the columns exist at that step, their types suit the transform, expressions
 * parse and type-check). Fails with invalid_argument naming the step and field. Returns the output
 * columns as far as they are known before fitting: a one-hot step's columns depend on the categories
 * found in the data, so they are left out (and later steps may name any `<column>_...`).
 */
export function checkTransformConfig(
  config: unknown,
  columns: readonly TransformColumn[],
): TransformColumn[] {
  const { steps } = parseTransformConfig(config);
  const graph = new Graph();
  const table = Table.fromInputs(columns, graph);
  steps.forEach((step, i) => {
    const ctx = { table, graph, at: `steps[${i}]` };
    const planned = planStep(step, ctx);
    if (planned.aggregates.length > 0) dryStep(step, ctx);
    else lowerStep(planned.fit([]), ctx);
  });
  return table.columns().map((c) => ({ name: c.name, type: c.type }));
}
