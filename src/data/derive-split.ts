import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '../artifacts/index.js';
import { type DuckSession, loadSnapshot } from '../columnar/index.js';
import type { SplitName, SplitSpec } from '../contracts/index.js';
import { invalid } from '../core/index.js';
import type { DatasetVersion } from './dataset.entity.js';
import type { SplitResult } from './split/index.js';
import { splitTable } from './split/index.js';
import { type BuiltTable, buildTable } from './version-source.js';

/** Loads a version's Parquet snapshot into the session (through a local copy: the store may be remote). */
export async function loadVersion(
  session: DuckSession,
  artifacts: ArtifactStore,
  version: DatasetVersion,
  dir: string,
  table: string,
) {
  const local = join(dir, `${table}.source.parquet`);
  await pipeline(await artifacts.get(version.artifactPath), createWriteStream(local));
  return loadSnapshot(session, local, table);
}

export interface BuiltSplit {
  result: SplitResult;
  parts: { name: SplitName; built: BuiltTable }[];
}

/**
 * Splits a loaded version and snapshots each part. A part the spec gives no rows to (fraction 0) is left
 * out; a part that should have rows but has none (a time range with no data) is refused, naming it.
 */
export async function buildSplit(
  session: DuckSession,
  dir: string,
  parent: DatasetVersion,
  table: string,
  spec: SplitSpec,
): Promise<BuiltSplit> {
  const result = await splitTable(session, table, parent.schema, spec, { prefix: 'part_' });
  const fractions =
    'fractions' in result.spec ? (result.spec.fractions as Record<string, number | undefined>) : {};
  const parts: BuiltSplit['parts'] = [];
  for (const part of result.splits) {
    if (part.rowCount === 0) {
      if (fractions[part.name] === 0) continue;
      throw invalid(
        `split: the ${part.name} part of ${parent.dataset} version ${parent.version} would have no rows; change the ${
          result.spec.method === 'time' ? 'time boundaries' : 'fractions'
        }`,
        { field: result.spec.method === 'time' ? 'train_before' : 'fractions', split: part.name },
      );
    }
    const built = await buildTable(session, dir, { table: part.table, rowCount: part.rowCount }, part.name);
    parts.push({ name: part.name, built });
  }
  return { result, parts };
}
