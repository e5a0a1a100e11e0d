import { sqlDouble, sqlString } from '../columnar/index.js';
import { expressionSql, finite, type SqlRefs } from './expression/compile-sql.js';
import type { CodePolicy, Graph, GraphNode, NodeOp, Slot } from './graph.js';
import { encodeErrorParts } from './semantics.js';
import type { ColumnType, TransformScalar } from './transform.entity.js';

/** The DuckDB storage type of each column type (as columnar/normalize.ts stores them). */
export const STORAGE: Record<ColumnType, string> = {
  integer: 'BIGINT',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

export function literalSql(value: TransformScalar | null, type: ColumnType): string {
  if (value === null) return `CAST(NULL AS ${STORAGE[type]})`;
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return type === 'integer' ? `CAST(${String(value)} AS BIGINT)` : sqlDouble(value);
}

/**
 * The SQL of one node over its operands (slot columns or inlined literals). The row engine's twin is
 * node-row.ts: a change to one is a change to the other.
 */
export function nodeSql(node: GraphNode, graph: Graph, refs: SqlRefs): string {
  const op = node.op;
  const numeric = (slot: Slot) => {
    const t = graph.node(slot).type;
    return t === 'integer' || t === 'float';
  };
  switch (op.op) {
    case 'input':
    case 'const':
    case 'unknown':
      throw new Error(`${op.op} nodes have no SQL of their own`);
    case 'affine': {
      const e = `((${refs.num(op.x)} - ${sqlDouble(op.center)}) / ${sqlDouble(op.scale)})`;
      return finite(e);
    }
    case 'clip': {
      const x = refs.num(op.x);
      const lo = op.min === null ? '' : ` WHEN ${x} < ${sqlDouble(op.min)} THEN ${sqlDouble(op.min)}`;
      const hi = op.max === null ? '' : ` WHEN ${x} > ${sqlDouble(op.max)} THEN ${sqlDouble(op.max)}`;
      return `CASE${lo}${hi} ELSE ${x} END`;
    }
    case 'bucket': {
      const x = refs.num(op.x);
      const whens = op.boundaries.map((b, i) => ` WHEN ${x} < ${sqlDouble(b)} THEN ${i}`).join('');
      return `CAST(CASE WHEN ${x} IS NULL THEN NULL${whens} ELSE ${op.boundaries.length} END AS BIGINT)`;
    }
    case 'encode':
      return encodeSql(op, graph.node(op.x).type, refs.raw(op.x));
    case 'indicator': {
      const code = refs.raw(op.code);
      const nulls = op.nullOn.length > 0 ? ` WHEN ${code} IN (${op.nullOn.join(', ')}) THEN NULL` : '';
      return `CAST(CASE WHEN ${code} IS NULL THEN NULL${nulls} WHEN ${code} = ${op.match} THEN 1 ELSE 0 END AS BIGINT)`;
    }
    case 'date_part': {
      const fn = op.part === 'weekday' ? 'isodow' : op.part;
      return `CAST(${fn}(${refs.raw(op.x)}) AS BIGINT)`;
    }
    default:
      return expressionSql(op, refs, numeric);
  }
}

function encodeSql(op: Extract<NodeOp, { op: 'encode' }>, type: ColumnType, x: string): string {
  const list = `CAST([${op.categories.map((c) => literalSql(c, type)).join(', ')}] AS ${STORAGE[type]}[])`;
  const position = `list_position(${list}, ${x})`;
  const policy = (p: CodePolicy, kind: 'missing' | 'unknown') => {
    if (p === 'null') return 'NULL';
    if (p !== 'error') return String(p);
    const [before, after] = encodeErrorParts(op.what, kind);
    return kind === 'missing'
      ? `error(${sqlString(before + after)})`
      : `error(${sqlString(before)} || CAST(${x} AS VARCHAR) || ${sqlString(after)})`;
  };
  return `CAST(CASE WHEN ${x} IS NULL THEN ${policy(op.missing, 'missing')} WHEN ${position} IS NULL THEN ${policy(op.unknown, 'unknown')} ELSE ${position} - 1 END AS BIGINT)`;
}
