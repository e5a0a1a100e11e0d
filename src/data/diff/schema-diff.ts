import type { ColumnSchema } from '../../columnar/index.js';
import type { SchemaDiff } from '../../contracts/index.js';

/** Columns are matched by exact name: a renamed column is one removed and one added. */
export function diffSchemas(from: ColumnSchema[], to: ColumnSchema[]): SchemaDiff {
  const fromIndex = new Map(from.map((c, i) => [c.name, i]));
  const toIndex = new Map(to.map((c, i) => [c.name, i]));
  const positioned = (c: ColumnSchema, position: number) => ({
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    kind: c.kind,
    position,
  });
  const diff: SchemaDiff = {
    added: to.flatMap((c, i) => (fromIndex.has(c.name) ? [] : [positioned(c, i)])),
    removed: from.flatMap((c, i) => (toIndex.has(c.name) ? [] : [positioned(c, i)])),
    type_changed: [],
    kind_changed: [],
    nullability_changed: [],
    moved: [],
    order_changed: false,
    unchanged: false,
  };
  to.forEach((b, j) => {
    const i = fromIndex.get(b.name);
    if (i === undefined) return;
    const a = from[i]!;
    if (a.type !== b.type) diff.type_changed.push({ name: b.name, from: a.type, to: b.type });
    if (a.kind !== b.kind) diff.kind_changed.push({ name: b.name, from: a.kind, to: b.kind });
    if (a.nullable !== b.nullable)
      diff.nullability_changed.push({ name: b.name, from: a.nullable, to: b.nullable });
    if (i !== j) diff.moved.push({ name: b.name, from: i, to: j });
  });
  const commonInFrom = from.filter((c) => toIndex.has(c.name)).map((c) => c.name);
  const commonInTo = to.filter((c) => fromIndex.has(c.name)).map((c) => c.name);
  diff.order_changed = commonInFrom.some((name, k) => name !== commonInTo[k]);
  diff.unchanged =
    diff.added.length + diff.removed.length + diff.type_changed.length + diff.kind_changed.length === 0 &&
    diff.nullability_changed.length + diff.moved.length === 0;
  return diff;
}
