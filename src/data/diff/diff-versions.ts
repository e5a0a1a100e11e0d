import type { ColumnSchema, TableProfile } from '../../columnar/index.js';
import type { DatasetDiff } from '../../contracts/index.js';
import { diffColumnStats } from './column-stats-diff.js';
import { diffSchemas } from './schema-diff.js';

/** What a diff needs of a version: its stored metadata, never its rows. */
export interface VersionSummary {
  version: number;
  rowCount: number;
  schema: ColumnSchema[];
  profile: TableProfile | null;
}

/**
 * Compares two versions of a dataset from their stored schema and profile: row counts, schema
 * changes, and the statistics of every column in both (PSI with "from" as the expected distribution).
 * Pure: the result is the wire shape, every number finite or null.
 */
export function diffVersions(from: VersionSummary, to: VersionSummary): DatasetDiff {
  const profileOf = (v: VersionSummary, name: string) => ({
    version: v.version,
    profile: v.profile?.columns.find((c) => c.name === name) ?? null,
  });
  const inFrom = new Set(from.schema.map((c) => c.name));
  return {
    from_version: from.version,
    to_version: to.version,
    row_count: { from: from.rowCount, to: to.rowCount, delta: to.rowCount - from.rowCount },
    schema: diffSchemas(from.schema, to.schema),
    profiles: { from: from.profile !== null, to: to.profile !== null },
    columns: to.schema
      .filter((c) => inFrom.has(c.name))
      .map((c) => diffColumnStats(c.name, profileOf(from, c.name), profileOf(to, c.name))),
  };
}
