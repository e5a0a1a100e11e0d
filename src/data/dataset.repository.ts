import { type Insertable, sql } from 'kysely';
import type { DatasetsTable, DatasetVersionsTable, Db, Tx } from '../store/index.js';
import type { ColumnSchema, Dataset, DatasetVersion, TableFormat, VersionSource } from './dataset.entity.js';

export type DatasetRow = Omit<DatasetsTable, 'id' | 'description'> & { id: number; description: string };
export type VersionRow = Omit<DatasetVersionsTable, 'schema' | 'source' | 'profile'> & {
  schema: unknown;
  source: unknown;
};

/** Every column but the profile, which is read on its own (it can be far larger than the rest). */
const VERSION_COLUMNS = [
  'dataset_id',
  'project_id',
  'version',
  'content_hash',
  'row_count',
  'bytes',
  'schema',
  'source',
  'parent_version',
  'artifact_path',
  'created_by',
  'created_at',
] as const;

/** The source as stored (jsonb, snake_case like the rest of the database). */
interface StoredSource {
  kind: 'upload' | 'derived';
  format?: TableFormat;
  file_name?: string;
}

export function toVersion(dataset: string, row: VersionRow): DatasetVersion {
  const s = row.source as StoredSource;
  const source: VersionSource = { kind: s.kind };
  if (s.format !== undefined) source.format = s.format;
  if (s.file_name !== undefined) source.fileName = s.file_name;
  const v: DatasetVersion = {
    dataset,
    version: row.version,
    contentHash: row.content_hash,
    rowCount: Number(row.row_count),
    bytes: Number(row.bytes),
    schema: row.schema as ColumnSchema[],
    source,
    artifactPath: row.artifact_path,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
  if (row.parent_version !== null) v.parentVersion = row.parent_version;
  return v;
}

export function toDataset(row: DatasetRow, versionCount: number, latest: VersionRow | undefined): Dataset {
  const d: Dataset = {
    name: row.name,
    description: row.description,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    versionCount,
  };
  if (latest) d.latestVersion = toVersion(row.name, latest);
  return d;
}

export function storedSource(source: VersionSource): string {
  const s: StoredSource = { kind: source.kind };
  if (source.format !== undefined) s.format = source.format;
  if (source.fileName !== undefined) s.file_name = source.fileName;
  return JSON.stringify(s);
}

export class DatasetRepository {
  async findDataset(db: Db | Tx, projectId: string, name: string): Promise<DatasetRow | undefined> {
    return db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /** An id from the table's identity sequence, so an artifact path can name the dataset before it exists. */
  async reserveDatasetId(db: Db): Promise<number> {
    const { rows } = await sql<{
      id: number | string;
    }>`SELECT nextval(pg_get_serial_sequence('datasets', 'id')) AS id`.execute(db);
    return Number(rows[0]!.id);
  }

  /**
   * The dataset row, locked for the rest of the transaction, created with `row` when missing. A
   * concurrent creator wins quietly: ON CONFLICT waits for its commit and the re-read returns its row.
   */
  async lockOrCreate(trx: Tx, row: DatasetRow): Promise<DatasetRow> {
    const existing = await this.lock(trx, row.project_id, row.name);
    if (existing) return existing;
    const inserted = await trx
      .insertInto('datasets')
      .values(row)
      .onConflict((oc) => oc.columns(['project_id', 'name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return inserted;
    const winner = await this.lock(trx, row.project_id, row.name);
    if (!winner) throw new Error(`dataset '${row.name}' vanished during creation`);
    return winner;
  }

  private async lock(trx: Tx, projectId: string, name: string): Promise<DatasetRow | undefined> {
    return trx
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst();
  }

  async findVersionByHash(db: Db | Tx, datasetId: number, hash: string): Promise<VersionRow | undefined> {
    return db
      .selectFrom('dataset_versions')
      .select(VERSION_COLUMNS)
      .where('dataset_id', '=', datasetId)
      .where('content_hash', '=', hash)
      .executeTakeFirst();
  }

  async maxVersion(trx: Tx, datasetId: number): Promise<number> {
    const row = await trx
      .selectFrom('dataset_versions')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('dataset_id', '=', datasetId)
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  async insertVersion(trx: Tx, row: Insertable<DatasetVersionsTable>): Promise<VersionRow> {
    return trx
      .insertInto('dataset_versions')
      .values(row)
      .returning(VERSION_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  async isArtifactReferenced(db: Db, artifactPath: string): Promise<boolean> {
    const row = await db
      .selectFrom('dataset_versions')
      .select('version')
      .where('artifact_path', '=', artifactPath)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async versions(db: Db, datasetId: number): Promise<VersionRow[]> {
    return db
      .selectFrom('dataset_versions')
      .select(VERSION_COLUMNS)
      .where('dataset_id', '=', datasetId)
      .orderBy('version')
      .execute();
  }

  async version(db: Db, datasetId: number, version: number): Promise<VersionRow | undefined> {
    return db
      .selectFrom('dataset_versions')
      .select(VERSION_COLUMNS)
      .where('dataset_id', '=', datasetId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** The stored profile of a version: undefined when there is no such version, null when it has none. */
  async profile(db: Db, datasetId: number, version: number): Promise<unknown> {
    const row = await db
      .selectFrom('dataset_versions')
      .select('profile')
      .where('dataset_id', '=', datasetId)
      .where('version', '=', version)
      .executeTakeFirst();
    return row === undefined ? undefined : row.profile;
  }

  async search(
    db: Db,
    projectId: string,
    opts: { nameLike?: string | undefined; afterId: number; limit: number },
  ): Promise<DatasetRow[]> {
    let q = db.selectFrom('datasets').selectAll().where('project_id', '=', projectId);
    if (opts.nameLike) q = q.where('name', 'ilike', opts.nameLike);
    return q.where('id', '>', opts.afterId).orderBy('id').limit(opts.limit).execute();
  }

  /** Version count and latest version of each dataset, in two queries whatever the page size. */
  async summaries(
    db: Db,
    datasetIds: number[],
  ): Promise<Map<number, { count: number; latest: VersionRow | undefined }>> {
    const out = new Map<number, { count: number; latest: VersionRow | undefined }>();
    if (datasetIds.length === 0) return out;
    const counts = await db
      .selectFrom('dataset_versions')
      .select((eb) => ['dataset_id', eb.fn.countAll<number | string>().as('n')])
      .where('dataset_id', 'in', datasetIds)
      .groupBy('dataset_id')
      .execute();
    const latest = await db
      .selectFrom('dataset_versions')
      .select(VERSION_COLUMNS)
      .distinctOn('dataset_id')
      .where('dataset_id', 'in', datasetIds)
      .orderBy('dataset_id')
      .orderBy('version', 'desc')
      .execute();
    for (const c of counts) out.set(c.dataset_id, { count: Number(c.n), latest: undefined });
    for (const l of latest) {
      const entry = out.get(l.dataset_id);
      if (entry) entry.latest = l;
    }
    return out;
  }
}
