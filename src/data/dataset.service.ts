import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/index.js';
import {
  type DuckSession,
  type DuckSessionOptions,
  describeConnection,
  type LoadedTable,
  readPostgresQuery,
  readTable,
} from '../columnar/index.js';
import {
  type DatasetDiff,
  SPLIT_NAMES,
  type SplitName,
  type SplitSpec,
  type ValidationReport,
  type ValidationRule,
} from '../contracts/index.js';
import {
  type Clock,
  CyclopsError,
  decodeToken,
  encodeToken,
  invalid,
  isNonNegativeInt,
  notFound,
  type RequestContext,
  systemClock,
} from '../core/index.js';
import { type Db, writeAudit } from '../store/index.js';
import { buildContract } from './contract.js';
import {
  type ColumnSchema,
  DATASET_NAME_RE,
  type Dataset,
  type DatasetPage,
  type DatasetVersion,
  type IngestOutcome,
  type SchemaContract,
  TABLE_FORMATS,
  type TableFormat,
  type TableProfile,
  type VersionSource,
} from './dataset.entity.js';
import {
  DatasetRepository,
  type DatasetRow,
  storedContract,
  toContract,
  toDataset,
  toVersion,
} from './dataset.repository.js';
import { buildSplit, loadVersion } from './derive-split.js';
import { diffVersions } from './diff/index.js';
import { receiveUpload } from './receive-upload.js';
import { checkRules } from './validation/index.js';
import { runRules, type StoredReport } from './validation-runs.js';
import { type VersionPlan, VersionRegistrar } from './version-registrar.js';
import { buildTable, withScratch } from './version-source.js';

export interface IngestInput {
  datasetName: string;
  body: Readable;
  format: TableFormat;
  fileName?: string | undefined;
  header?: boolean | undefined;
  delimiter?: string | undefined;
  quote?: string | undefined;
  encoding?: string | undefined;
  /** Used when this ingest creates the dataset; an existing dataset keeps its description. */
  description?: string | undefined;
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
}

export interface QueryIngestInput {
  datasetName: string;
  /** postgres://user:password@host:port/database; only host, port and database are kept. */
  connection: string;
  /** One SELECT statement, run in a read-only transaction. */
  query: string;
  description?: string | undefined;
}

export interface ContractInput {
  /** Take the columns from this version (default: the latest) unless `columns` are given. */
  fromVersion?: number | undefined;
  columns?: SchemaContract['columns'] | undefined;
  target?: string | undefined;
  onViolation?: SchemaContract['onViolation'] | undefined;
}

export interface SplitOutcome {
  parent: { dataset: string; version: number };
  /** The spec as applied, defaults filled in. */
  spec: SplitSpec;
  splits: { name: SplitName; rowCount: number; outcome: IngestOutcome }[];
  dropped: { missingTime: number; betweenBoundaries: number };
}

export interface ListDatasetsInput {
  nameLike?: string | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

export interface DatasetServiceOptions {
  clock?: Clock;
  session?: DuckSessionOptions;
}

/** Datasets and their immutable, content-addressed versions (Parquet snapshots in the artifact store). */
export class DatasetService {
  private readonly repo = new DatasetRepository();
  private readonly clock: Clock;
  private readonly registrar: VersionRegistrar;

  constructor(
    private readonly db: Db,
    private readonly artifacts: ArtifactStore,
    private readonly options: DatasetServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.registrar = new VersionRegistrar(db, artifacts, this.repo, this.clock);
  }

  /**
   * Upload -> temp file -> normalized Parquet -> version. Identical content (whatever its format) resolves
   * to the version that has it; a failure at any step registers nothing and leaves no files behind.
   */
  async ingest(ctx: RequestContext, input: IngestInput): Promise<IngestOutcome> {
    const name = checkName(input.datasetName);
    if (!TABLE_FORMATS.includes(input.format))
      throw invalid(`format: must be one of ${TABLE_FORMATS.join(', ')}`, { field: 'format' });
    const file = uploadName(input);
    const source: VersionSource = { kind: 'upload', format: input.format, fileName: input.fileName };
    return this.ingestTable(ctx, name, input.description, source, file, async (session, dir) => {
      const upload = join(dir, file);
      await receiveUpload(input.body, upload, input.maxBytes);
      try {
        return await readTable(session, {
          path: upload,
          format: input.format,
          ...(input.header === undefined ? {} : { header: input.header }),
          ...(input.delimiter === undefined ? {} : { delimiter: input.delimiter }),
          ...(input.quote === undefined ? {} : { quote: input.quote }),
          ...(input.encoding === undefined ? {} : { encoding: input.encoding }),
        });
      } finally {
        await rm(upload, { force: true });
      }
    });
  }

  /** The result of a query against a Postgres server, streamed in batches, as a new version. */
  async ingestQuery(ctx: RequestContext, input: QueryIngestInput): Promise<IngestOutcome> {
    const name = checkName(input.datasetName);
    const server = describeConnection(input.connection);
    const source: VersionSource = { kind: 'query', server, query: input.query };
    return this.ingestTable(ctx, name, input.description, source, 'query', (session) =>
      readPostgresQuery(session, { connectionString: input.connection, query: input.query }),
    );
  }

  private async ingestTable(
    ctx: RequestContext,
    name: string,
    description: string | undefined,
    source: VersionSource,
    what: string,
    load: (session: DuckSession, dir: string) => Promise<LoadedTable>,
  ): Promise<IngestOutcome> {
    const [outcome] = await withScratch(this.options.session, async (session, dir) => {
      const built = await buildTable(session, dir, await load(session, dir), what);
      const plan: VersionPlan = {
        datasetName: name,
        description,
        result: built.result,
        parquetPath: built.parquetPath,
        source,
      };
      // The dataset's saved rules run on every new version; the report is stored with it. (After the
      // snapshot is written: a custom SQL rule locks the session against file access.)
      const existing = await this.repo.findDataset(this.db, ctx.projectId, name);
      const rules = existing?.validation_rules as ValidationRule[] | null | undefined;
      if (existing && rules) {
        const report = await runRules(
          session,
          built.loaded.table,
          rules,
          built.result.schema.columns,
          toContract(existing),
          `this ${what}`,
        );
        plan.validation = { rules, report };
      }
      return this.registrar.register(ctx, [plan]);
    });
    if (!outcome) throw new CyclopsError('internal', 'registration returned no outcome');
    return outcome;
  }

  /**
   * Splits a version into train/(validation/)test versions of the datasets `${into}-train` etc. (into
   * defaults to the dataset's name), each with the parent as lineage and the split spec as its source,
   * registered together or not at all. New output datasets inherit the parent's contract (its target).
   */
  async split(
    ctx: RequestContext,
    name: string,
    version: number,
    spec: SplitSpec,
    into?: string,
  ): Promise<SplitOutcome> {
    const parentRow = await this.mustFind(ctx, name);
    const parent = await this.version(ctx, name, version);
    const prefix = into ?? name;
    for (const part of SPLIT_NAMES) checkName(`${prefix}-${part}`);
    const contract = parentRow.schema_contract ? JSON.stringify(parentRow.schema_contract) : undefined;
    return withScratch(this.options.session, async (session, dir) => {
      await loadVersion(session, this.artifacts, parent, dir, 'parent');
      const { result, parts } = await buildSplit(session, dir, parent, 'parent', spec);
      const plans: VersionPlan[] = parts.map(({ name: part, built }) => ({
        datasetName: `${prefix}-${part}`,
        description: `The ${part} part of ${name} version ${version}`,
        result: built.result,
        parquetPath: built.parquetPath,
        source: { kind: 'split', split: part, params: result.spec as unknown as Record<string, unknown> },
        parent: { datasetId: parentRow.id, dataset: name, version },
        contract,
      }));
      const outcomes = await this.registrar.register(ctx, plans);
      return {
        parent: { dataset: name, version },
        spec: result.spec,
        splits: parts.map((p, i) => ({
          name: p.name,
          rowCount: p.built.result.rowCount,
          outcome: outcomes[i]!,
        })),
        dropped: result.dropped,
      };
    });
  }

  /** Schema, row-count and statistics changes between two versions of a dataset, from their profiles. */
  async diff(ctx: RequestContext, name: string, from: number, to: number): Promise<DatasetDiff> {
    const row = await this.mustFind(ctx, name);
    const summary = async (n: number) => {
      const v = await this.repo.version(this.db, row.id, n);
      if (!v) throw versionNotFound(name, n);
      const profile = await this.repo.profile(this.db, row.id, n);
      return {
        version: n,
        rowCount: Number(v.row_count),
        schema: v.schema as ColumnSchema[],
        profile: (profile ?? null) as TableProfile | null,
      };
    };
    return diffVersions(await summary(from), await summary(to));
  }

  /**
   * Saves the validation rules every new version of the dataset is checked with (null drops them).
   * They are checked against the latest version's schema now, so a typo fails here, not at the next ingest.
   */
  async setRules(ctx: RequestContext, name: string, rules: ValidationRule[] | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.repo.lock(trx, ctx.projectId, name);
      if (!row) throw notFound('Dataset', name);
      if (rules) {
        const latest = await this.repo.version(trx, row.id, await this.repo.maxVersion(trx, row.id));
        const contract = toContract(row);
        if (latest) {
          checkRules(rules, latest.schema as ColumnSchema[], contract ? { contract: contract.columns } : {});
        }
      }
      await this.repo.setRules(trx, row.id, rules ? JSON.stringify(rules) : null);
      await writeAudit(
        trx,
        ctx,
        {
          action: rules ? 'dataset.rules_set' : 'dataset.rules_clear',
          entityType: 'dataset',
          entityId: name,
          before: row.validation_rules ?? undefined,
          after: rules ?? undefined,
        },
        this.clock.now(),
      );
    });
  }

  /**
   * Validates a version with the given rules, or the dataset's saved ones, and stores the report with
   * the version (a version can be validated any number of times; each report is kept).
   */
  async validate(
    ctx: RequestContext,
    name: string,
    version: number,
    rules?: ValidationRule[] | undefined,
  ): Promise<StoredReport> {
    const row = await this.mustFind(ctx, name);
    const v = await this.version(ctx, name, version);
    const toRun = rules ?? (row.validation_rules as ValidationRule[] | null);
    if (!toRun) {
      throw invalid(
        `Dataset '${name}' has no saved validation rules: pass rules, or save them on the dataset first`,
        { field: 'rules' },
      );
    }
    const report = await withScratch(this.options.session, async (session, dir) => {
      const loaded = await loadVersion(session, this.artifacts, v, dir, 'version');
      return runRules(session, loaded.table, toRun, v.schema, toContract(row), `version ${version}`);
    });
    const now = this.clock.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const reportId = await this.repo.insertReport(trx, {
        dataset_id: row.id,
        project_id: ctx.projectId,
        version,
        passed: report.passed,
        rules: JSON.stringify(toRun),
        report: JSON.stringify(report),
        created_by: ctx.actor.name,
        created_at: now,
      });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'dataset.validate',
          entityType: 'dataset',
          entityId: `${name}@${version}`,
          after: {
            report: reportId,
            passed: report.passed,
            errors: report.error_count,
            warnings: report.warning_count,
          },
        },
        now,
      );
      return reportId;
    });
    return {
      id,
      dataset: name,
      version,
      passed: report.passed,
      rules: toRun,
      report,
      createdBy: ctx.actor.name,
      createdAt: now,
    };
  }

  /** The validation reports of a version, newest first. */
  async reports(ctx: RequestContext, name: string, version: number): Promise<StoredReport[]> {
    const row = await this.mustFind(ctx, name);
    await this.version(ctx, name, version);
    return (await this.repo.reports(this.db, row.id, version)).map((r) => ({
      id: r.id,
      dataset: name,
      version: r.version,
      passed: r.passed,
      rules: r.rules as ValidationRule[],
      report: r.report as ValidationReport,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }

  /**
   * Declares the schema later versions are checked against (and the target column): the columns of a
   * version, or explicit ones. Versions already registered are not re-checked.
   */
  async setContract(ctx: RequestContext, name: string, input: ContractInput): Promise<SchemaContract> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.lock(trx, ctx.projectId, name);
      if (!row) throw notFound('Dataset', name);
      let columns = input.columns;
      let fromVersion: number | undefined;
      if (!columns) {
        const versionNo = input.fromVersion ?? (await this.repo.maxVersion(trx, row.id));
        const v = versionNo > 0 ? await this.repo.version(trx, row.id, versionNo) : undefined;
        if (!v) throw versionNotFound(name, versionNo);
        columns = v.schema as ColumnSchema[];
        fromVersion = versionNo;
      } else if (input.fromVersion !== undefined) {
        throw invalid('from_version: give either columns or from_version, not both', {
          field: 'from_version',
        });
      }
      const contract = buildContract({
        columns,
        target: input.target,
        onViolation: input.onViolation,
        fromVersion,
      });
      const before = toContract(row);
      await this.repo.setContract(trx, row.id, storedContract(contract));
      await writeAudit(
        trx,
        ctx,
        { action: 'dataset.contract_set', entityType: 'dataset', entityId: name, before, after: contract },
        this.clock.now(),
      );
      return contract;
    });
  }

  async clearContract(ctx: RequestContext, name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await this.repo.lock(trx, ctx.projectId, name);
      if (!row) throw notFound('Dataset', name);
      const before = toContract(row);
      if (!before) return;
      await this.repo.setContract(trx, row.id, null);
      await writeAudit(
        trx,
        ctx,
        { action: 'dataset.contract_clear', entityType: 'dataset', entityId: name, before },
        this.clock.now(),
      );
    });
  }

  async list(ctx: RequestContext, input: ListDatasetsInput = {}): Promise<DatasetPage> {
    const limit = input.maxResults ?? 1000;
    const afterId = input.pageToken ? decodeToken(input.pageToken, isNonNegativeInt) : 0;
    const rows = await this.repo.search(this.db, ctx.projectId, {
      nameLike: input.nameLike,
      afterId,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const summaries = await this.repo.summaries(
      this.db,
      page.map((r) => r.id),
    );
    const last = page.at(-1);
    return {
      items: page.map((r) => {
        const s = summaries.get(r.id);
        return toDataset(r, s?.count ?? 0, s?.latest);
      }),
      nextPageToken: rows.length > limit && last ? encodeToken(last.id) : undefined,
    };
  }

  async get(ctx: RequestContext, name: string): Promise<Dataset> {
    const row = await this.mustFind(ctx, name);
    const s = (await this.repo.summaries(this.db, [row.id])).get(row.id);
    return toDataset(row, s?.count ?? 0, s?.latest);
  }

  async versions(ctx: RequestContext, name: string): Promise<DatasetVersion[]> {
    const row = await this.mustFind(ctx, name);
    return (await this.repo.versions(this.db, row.id)).map((v) => toVersion(row.name, v));
  }

  async version(ctx: RequestContext, name: string, version: number): Promise<DatasetVersion> {
    const row = await this.mustFind(ctx, name);
    const v = await this.repo.version(this.db, row.id, version);
    if (!v) throw versionNotFound(name, version);
    return toVersion(row.name, v);
  }

  /** The profile computed when the version was ingested; not_found when the version has none. */
  async profile(ctx: RequestContext, name: string, version: number): Promise<TableProfile> {
    const row = await this.mustFind(ctx, name);
    const profile = await this.repo.profile(this.db, row.id, version);
    if (profile === undefined || profile === null)
      throw new CyclopsError(
        'not_found',
        profile === undefined
          ? `Dataset '${name}' has no version ${version}`
          : `Version ${version} of dataset '${name}' has no profile (ingested before profiles existed)`,
        { entity: 'DatasetProfile', id: `${name}@${version}` },
      );
    return profile as TableProfile;
  }

  /** The Parquet snapshot of a version, streamed from the artifact store. */
  async openParquet(ctx: RequestContext, name: string, version: number): Promise<Readable> {
    const v = await this.version(ctx, name, version);
    return this.artifacts.get(v.artifactPath);
  }

  private async mustFind(ctx: RequestContext, name: string): Promise<DatasetRow> {
    const row = await this.repo.findDataset(this.db, ctx.projectId, name);
    if (!row) throw notFound('Dataset', name);
    return row;
  }
}

function versionNotFound(name: string, version: number): CyclopsError {
  return new CyclopsError(
    'not_found',
    version > 0 ? `Dataset '${name}' has no version ${version}` : `Dataset '${name}' has no versions yet`,
    { entity: 'DatasetVersion', id: `${name}@${version}` },
  );
}

function checkName(raw: string): string {
  if (!DATASET_NAME_RE.test(raw)) {
    throw invalid(
      `name: '${raw.slice(0, 40)}' is not a dataset name (letters, digits, '_', '.', '-'; at most 128; starts with a letter or digit)`,
      { field: 'name' },
    );
  }
  return raw;
}

/** Errors from the columnar engine name the file: keep the client's file name when it is a plain one. */
function uploadName(input: IngestInput): string {
  const base = input.fileName?.split(/[\\/]/).pop() ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/.test(base) && base !== 'snapshot.parquet'
    ? base
    : `upload.${input.format}`;
}
