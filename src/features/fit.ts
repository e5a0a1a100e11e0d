import type { DuckSession } from '../columnar/index.js';
import { sqlIdent } from '../columnar/index.js';
import { CyclopsError } from '../core/index.js';
import { layeredSql } from './apply-sql.js';
import { parseTransformConfig } from './config.js';
import { Graph, type Slot } from './graph.js';
import type { Planned, StepContext } from './steps/kind.js';
import { dryStep, lowerStep, planStep } from './steps/registry.js';
import { Table } from './table.js';
import { tableColumns } from './table-columns.js';
import {
  type FittedTransformStep,
  TRANSFORM_SPEC_FORMAT,
  type TransformColumn,
  type TransformConfig,
  type TransformSpec,
} from './transform.entity.js';

/**
 * Fits the config on a table of the session into a TransformSpec. Parameters are learned by DuckDB
 * aggregate queries over the columns as the earlier steps left them, never by reading rows into JS.
 *
 * Steps are fitted in waves, one query each: a wave runs forward from the first unfitted step, lowering
 * the steps that learn nothing and lowering the others "dry" (their outputs unknown), until a step must
 * learn from an unknown output (a scale after an impute of the same column). The wave's aggregates run
 * as one SELECT; then its steps are lowered again with what they learned, and the next wave starts.
 * A config whose learning steps touch disjoint columns is fitted in one pass over the table.
 */
export async function fitTransforms(
  session: DuckSession,
  table: string,
  config: TransformConfig,
): Promise<TransformSpec> {
  const { steps } = parseTransformConfig(config);
  const inputs = (await tableColumns(session, table)).flatMap((c): TransformColumn[] =>
    c.type ? [{ name: c.name, type: c.type }] : [],
  );
  const graph = new Graph();
  const columns = Table.fromInputs(inputs, graph);
  const ctx = (i: number): StepContext => ({ table: columns, graph, at: `steps[${i}]` });
  const fitted: FittedTransformStep[] = [];

  for (let start = 0; start < steps.length; ) {
    const mark = graph.size;
    const snapshot = columns.snapshot();
    const wave: Planned<FittedTransformStep>[] = [];
    const aggregates: string[] = [];
    const slots = new Set<Slot>();
    let end = start;
    for (; end < steps.length; end++) {
      const step = steps[end] as (typeof steps)[number];
      const planned = planStep(step, ctx(end));
      if (planned.aggregates.length > 0) {
        if (planned.slots.some((s) => graph.node(s).dirty)) break;
        aggregates.push(...planned.aggregates);
        for (const s of planned.slots) slots.add(s);
        dryStep(step, ctx(end));
      } else {
        lowerStep(planned.fit([]), ctx(end));
      }
      wave.push(planned);
    }
    if (aggregates.length === 0) {
      // Nothing to learn: the wave was lowered for real already.
      fitted.push(...wave.map((p) => p.fit([])));
      start = end;
      continue;
    }
    const values = await runAggregates(session, graph, [...slots], aggregates, table);
    graph.truncate(mark);
    columns.restore(snapshot);
    let offset = 0;
    for (let i = start; i < end; i++) {
      const planned = planStep(steps[i] as (typeof steps)[number], ctx(i));
      const step = planned.fit(values.slice(offset, offset + planned.aggregates.length));
      offset += planned.aggregates.length;
      lowerStep(step, ctx(i));
      fitted.push(step);
    }
    start = end;
  }
  return {
    format: TRANSFORM_SPEC_FORMAT,
    inputs,
    steps: fitted,
    outputs: columns.columns().map((c) => ({ name: c.name, type: c.type })),
  };
}

async function runAggregates(
  session: DuckSession,
  graph: Graph,
  slots: Slot[],
  aggregates: string[],
  table: string,
): Promise<unknown[]> {
  const from = layeredSql(graph, slots, sqlIdent(table));
  const select = aggregates.map((a, i) => `${a} AS a${i}`).join(', ');
  const [row] = await session.rows(`SELECT ${select} FROM (${from})`);
  if (!row) throw new CyclopsError('internal', 'aggregate returned no row');
  return aggregates.map((_, i) => row[`a${i}`]);
}
