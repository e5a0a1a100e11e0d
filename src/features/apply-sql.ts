import type { DuckSession } from '../columnar/index.js';
import { sqlIdent } from '../columnar/index.js';
import { invalid } from '../core/index.js';
import type { SqlRefs } from './expression/compile-sql.js';
import { type Graph, operands, type Slot, slotColumn } from './graph.js';
import { type LoweredSpec, lowerSpec } from './lower-spec.js';
import { literalSql, nodeSql, STORAGE } from './node-sql.js';
import { tableColumns } from './table-columns.js';
import type { ColumnType, TransformColumn, TransformSpec } from './transform.entity.js';

/**
 * A query over `from` whose columns s<slot> hold the given slots. Nodes are placed in layers by depth
 * (`SELECT *, <nodes of depth d> FROM (<layer d - 1>)`), so each node names its operands as columns and
 * no operand's SQL is ever repeated inside another's: the text grows with the node count, not 2^depth.
 */
export function layeredSql(graph: Graph, slots: readonly Slot[], from: string): string {
  const needed = graph.reachable(slots);
  const depth = new Map<Slot, number>();
  const layers: string[][] = [[]];
  const refs: SqlRefs = {
    raw: (slot) => {
      const node = graph.node(slot);
      return node.op.op === 'const' ? literalSql(node.op.value, node.type) : slotColumn(slot);
    },
    num: (slot) => {
      const raw = refs.raw(slot);
      return graph.node(slot).type === 'integer' ? `CAST(${raw} AS DOUBLE)` : raw;
    },
  };
  for (const slot of needed) {
    const node = graph.node(slot);
    if (node.dirty) throw new Error(`slot ${slot} depends on a parameter not fitted yet`);
    if (node.op.op === 'const') continue;
    if (node.op.op === 'input') {
      depth.set(slot, 0);
      (layers[0] as string[]).push(`${inputSql(sqlIdent(node.op.column), node.type)} AS ${slotColumn(slot)}`);
      continue;
    }
    const d = 1 + Math.max(0, ...operands(node.op).map((s) => depth.get(s) ?? 0));
    depth.set(slot, d);
    layers[d] ??= [];
    (layers[d] as string[]).push(`${nodeSql(node, graph, refs)} AS ${slotColumn(slot)}`);
  }
  // A table of rows with no input needed still has its rows: keep one placeholder column.
  let sql = `SELECT ${(layers[0] as string[]).join(', ') || 'NULL AS s_row'} FROM ${from}`;
  for (let d = 1; d < layers.length; d++) sql = `SELECT *, ${(layers[d] ?? []).join(', ')} FROM (${sql})`;
  return sql;
}

/** Input values as the spec defines them: floats finite or NULL (NaN and ±Infinity are missing). */
function inputSql(column: string, type: ColumnType): string {
  if (type === 'float')
    return `CASE WHEN isfinite(CAST(${column} AS DOUBLE)) THEN CAST(${column} AS DOUBLE) END`;
  if (type === 'integer') return `CAST(${column} AS BIGINT)`;
  return column;
}

/** The one SELECT statement that transforms table `inTable` as the spec says. */
export function transformSql(spec: TransformSpec, inTable: string): string {
  return selectSql(lowerSpec(spec), inTable);
}

function selectSql({ graph, outputs }: LoweredSpec, inTable: string): string {
  const inner = layeredSql(
    graph,
    outputs.map((o) => o.slot),
    sqlIdent(inTable),
  );
  const select = outputs.map((o) => {
    const node = graph.node(o.slot);
    const value = node.op.op === 'const' ? literalSql(node.op.value, node.type) : slotColumn(o.slot);
    return `CAST(${value} AS ${STORAGE[o.type]}) AS ${sqlIdent(o.name)}`;
  });
  return `SELECT ${select.join(', ')} FROM (${inner})`;
}

/**
 * Creates `outTable` from `inTable` in one statement. The table must carry the spec's required inputs
 * with their types (an integer column may feed a float input); other columns are ignored.
 */
export async function applyTransformsSql(
  session: DuckSession,
  spec: TransformSpec,
  inTable: string,
  outTable: string,
): Promise<void> {
  const lowered = lowerSpec(spec);
  const sql = selectSql(lowered, inTable);
  await checkInputTable(session, inTable, lowered.required);
  try {
    await session.run(`CREATE TABLE ${sqlIdent(outTable)} AS ${sql}`);
  } catch (err) {
    // A policy 'error' raised by error() in the statement: the same message the row engine gives.
    const message = err instanceof Error ? err.message : String(err);
    const ours = /^Invalid Input Error: (steps\[\d+\].*)$/s.exec(message);
    if (ours) throw invalid((ours[1] as string).trim(), { table: inTable });
    throw err;
  }
}

async function checkInputTable(
  session: DuckSession,
  table: string,
  required: TransformColumn[],
): Promise<void> {
  const columns = new Map((await tableColumns(session, table)).map((c) => [c.name, c]));
  for (const input of required) {
    const found = columns.get(input.name);
    if (!found) {
      throw invalid(`table '${table}' has no column '${input.name}' (the transform spec needs it)`, {
        table,
        column: input.name,
      });
    }
    const fits = found.type === input.type || (input.type === 'float' && found.type === 'integer');
    if (!fits) {
      throw invalid(
        `table '${table}' column '${input.name}' is ${found.duckType}; the transform spec expects ${input.type}`,
        { table, column: input.name },
      );
    }
  }
}
