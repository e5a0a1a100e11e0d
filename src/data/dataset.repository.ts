import type { ExpressionBuilder, Insertable } from 'kysely';
import type { ValidationRule } from '../contracts/index.js';
import type {
  Database,
  DatasetsTable,
  DatasetValidationReportsTable,
  DatasetVersionsTable,
  Db,
  Tx,
} from '../store/index.js';
import type {
  ColumnSchema,
  ContractCheck,
  Dataset,
  DatasetVersion,
  SchemaContract,
  VersionSource,
} from './dataset.entity.js';

export type DatasetRow = Omit<
  DatasetsTable,
  'id' | 'description' | 'schema_contract' | 'validation_rules'
> & {
  id: number;
  description: string;
  schema_contract: unknown;
  validation_rules: unknown;
};
export interface ReportRow {
  id: number;
  version: number;
  passed: boolean;
  rules: unknown;
  report: unknown;
  created_by: string;
  created_at: number;
}

export type VersionRow = Omit<DatasetVersionsTable, 'schema' | 'source' | 'profile' | 'schema_check'> & {
  schema: unknown;
  source: unknown;
  schema_check: unknown;
  /** Name of the parent version's dataset (joined), null without a parent. */
  parent_dataset: string | null;
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
  'parent_dataset_id',
  'parent_version',
  'schema_check',
  'artifact_path',
  'created_by',
  'created_at',
] as const;

/** The source as stored (jsonb, snake_case like the rest of the database). */
interface StoredSource {
  kind: VersionSource['kind'];
  format?: VersionSource['format'];
  file_name?: string;
  server?: string;
  query?: string;
  split?: string;
  params?: Record<string, unknown>;
}

interface StoredContract {
  columns: SchemaContract['columns'];
  target?: string;
  on_violation: SchemaContract['onViolation'];
  from_version?: number;
}

export function toVersion(dataset: string, row: VersionRow): DatasetVersion {
  const s = row.source as StoredSource;
  const source: VersionSource = { kind: s.kind };
  if (s.format !== undefined) source.format = s.format;
  if (s.file_name !== undefined) source.fileName = s.file_name;
  if (s.server !== undefined) source.server = s.server;
  if (s.query !== undefined) source.query = s.query;
  if (s.split !== undefined) source.split = s.split;
  if (s.params !== undefined) source.params = s.params;
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
  if (row.parent_version !== null && row.parent_dataset !== null) {
    v.parent = { dataset: row.parent_dataset, version: row.parent_version };
  }
  if (row.schema_check !== null && row.schema_check !== undefined)
    v.contractCheck = row.schema_check as ContractCheck;
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
  const contract = toContract(row);
  if (contract) d.contract = contract;
  if (Array.isArray(row.validation_rules)) d.validationRules = row.validation_rules as ValidationRule[];
  return d;
}

export function toContract(row: DatasetRow): SchemaContract | undefined {
  const c = row.schema_contract as StoredContract | null;
  if (!c) return undefined;
  const contract: SchemaContract = { columns: c.columns, onViolation: c.on_violation };
  if (c.target !== undefined) contract.target = c.target;
  if (c.from_version !== undefined) contract.fromVersion = c.from_version;
  return contract;
}

export function storedContract(contract: SchemaContract): string {
  const c: StoredContract = { columns: contract.columns, on_violation: contract.onViolation };
  if (contract.target !== undefined) c.target = contract.target;
  if (contract.fromVersion !== undefined) c.from_version = contract.fromVersion;
  return JSON.stringify(c);
}

export function storedSource(source: VersionSource): string {
  const s: StoredSource = { kind: source.kind };
  if (source.format !== undefined) s.format = source.format;
  if (source.fileName !== undefined) s.file_name = source.fileName;
  if (source.server !== undefined) s.server = source.server;
  if (source.query !== undefined) s.query = source.query;
  if (source.split !== undefined) s.split = source.split;
  if (source.params !== undefined) s.params = source.params;
  return JSON.stringify(s);
}

/** The parent version's dataset name, for lineage without a second query. */
const parentName = (eb: ExpressionBuilder<Database, 'dataset_versions'>) =>
  eb
    .selectFrom('datasets as p')
    .select('p.name')
    .whereRef('p.id', '=', 'dataset_versions.parent_dataset_id')
    .as('parent_dataset');

export class DatasetRepository {
  async findDataset(db: Db | Tx, projectId: string, name: string): Promise<DatasetRow | undefined> {
    return db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /**
   * The dataset row, locked for the rest of the transaction, created with `row` when missing. A
   * concurrent creator wins quietly: ON CONFLICT waits for its commit and the re-read returns its row.
   */
  async lockOrCreate(trx: Tx, row: Insertable<DatasetsTable>): Promise<DatasetRow> {
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

  async lock(trx: Tx, projectId: string, name: string): Promise<DatasetRow | undefined> {
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
      .select(parentName)
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

  async insertVersion(
    trx: Tx,
    row: Insertable<DatasetVersionsTable>,
    parentDataset: string | null,
  ): Promise<VersionRow> {
    const inserted = await trx
      .insertInto('dataset_versions')
      .values(row)
      .returning(VERSION_COLUMNS)
      .executeTakeFirstOrThrow();
    return { ...inserted, parent_dataset: parentDataset };
  }

  async setContract(trx: Tx, datasetId: number, contract: string | null): Promise<void> {
    await trx
      .updateTable('datasets')
      .set({ schema_contract: contract })
      .where('id', '=', datasetId)
      .execute();
  }

  async setRules(trx: Tx, datasetId: number, rules: string | null): Promise<void> {
    await trx.updateTable('datasets').set({ validation_rules: rules }).where('id', '=', datasetId).execute();
  }

  async insertReport(trx: Tx, row: Insertable<DatasetValidationReportsTable>): Promise<number> {
    const { id } = await trx
      .insertInto('dataset_validation_reports')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(id);
  }

  /** The validation reports of a version, newest first. */
  async reports(db: Db, datasetId: number, version: number): Promise<ReportRow[]> {
    const rows = await db
      .selectFrom('dataset_validation_reports')
      .select(['id', 'version', 'passed', 'rules', 'report', 'created_by', 'created_at'])
      .where('dataset_id', '=', datasetId)
      .where('version', '=', version)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) }));
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
      .select(parentName)
      .where('dataset_id', '=', datasetId)
      .orderBy('version')
      .execute();
  }

  async version(db: Db, datasetId: number, version: number): Promise<VersionRow | undefined> {
    return db
      .selectFrom('dataset_versions')
      .select(VERSION_COLUMNS)
      .select(parentName)
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
      .select(parentName)
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
