import { foundation } from './migrations/0001-foundation.js';
import { datasets } from './migrations/0002-datasets.js';
import { datasetProfiles } from './migrations/0003-dataset-profiles.js';
import { datasetLineageContracts } from './migrations/0004-dataset-lineage-contracts.js';
import { transforms } from './migrations/0005-transforms.js';
import { tuningStudies } from './migrations/0006-tuning-studies.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Forward-only, versioned. Append new migrations; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'foundation', sql: foundation },
  { version: 2, name: 'datasets', sql: datasets },
  { version: 3, name: 'dataset-profiles', sql: datasetProfiles },
  { version: 4, name: 'dataset-lineage-contracts', sql: datasetLineageContracts },
  { version: 5, name: 'transforms', sql: transforms },
  { version: 6, name: 'tuning-studies', sql: tuningStudies },
];

/** Arbitrary constant for pg_advisory_lock: serializes migrations of processes starting at once. */
export const MIGRATION_LOCK_KEY = 727_011_001;

/** What migrate needs from a backend: run a multi-statement script, and a query returning rows. */
export interface ScriptRunner {
  script(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
}

export async function migrate(
  runner: ScriptRunner,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await runner.script(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  try {
    await runner.script(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const done = new Set(
      (await runner.rows<{ version: number }>('SELECT version FROM schema_migrations')).map((r) =>
        Number(r.version),
      ),
    );
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      // One transaction per migration: a failed migration leaves the schema as it was.
      await runner.script(
        `BEGIN;\n${m.sql}\nINSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, '${m.name}', ${Date.now()});\nCOMMIT;`,
      );
      applied.push(m.version);
    }
    return applied;
  } catch (err) {
    await runner.script('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await runner.script(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
  }
}
