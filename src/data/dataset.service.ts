import type { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/index.js';
import type { DuckSession, DuckSessionOptions } from '../columnar/index.js';
import type { DatasetDiff, SplitSpec, ValidationRule } from '../contracts/index.js';
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
import type {
  ColumnSchema,
  Dataset,
  DatasetPage,
  DatasetVersion,
  IngestOutcome,
  SchemaContract,
  TableProfile,
} from './dataset.entity.js';
import {
  DatasetRepository,
  type DatasetRow,
  storedContract,
  toContract,
  toDataset,
  toVersion,
} from './dataset.repository.js';
import { diffVersions } from './diff/index.js';
import { type StoredReport, ValidationRuns } from './validation-runs.js';
import {
  type DeriveInput,
  type IngestInput,
  type QueryIngestInput,
  type SplitOutcome,
  VersionBuilder,
} from './version-builder.js';
import { VersionRegistrar } from './version-registrar.js';

export interface ContractInput {
  /** Take the columns from this version (default: the latest) unless `columns` are given. */
  fromVersion?: number | undefined;
  columns?: SchemaContract['columns'] | undefined;
  target?: string | undefined;
  onViolation?: SchemaContract['onViolation'] | undefined;
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
  private readonly builder: VersionBuilder;
  private readonly validation: ValidationRuns;

  constructor(
    private readonly db: Db,
    private readonly artifacts: ArtifactStore,
    readonly options: DatasetServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.registrar = new VersionRegistrar(db, artifacts, this.repo, this.clock);
    const lookups = {
      mustFind: (ctx: RequestContext, name: string) => this.mustFind(ctx, name),
      version: (ctx: RequestContext, name: string, version: number) => this.version(ctx, name, version),
    };
    const deps = {
      db,
      artifacts,
      repo: this.repo,
      registrar: this.registrar,
      clock: this.clock,
      session: options.session,
    };
    this.builder = new VersionBuilder({ ...deps, ...lookups });
    this.validation = new ValidationRuns({ ...deps, ...lookups });
  }

  /**
   * Upload -> temp file -> normalized Parquet -> version. Identical content (whatever its format) resolves
   * to the version that has it; a failure at any step registers nothing and leaves no files behind.
   */
  ingest(ctx: RequestContext, input: IngestInput): Promise<IngestOutcome> {
    return this.builder.ingest(ctx, input);
  }

  /** The result of a query against a Postgres server, streamed in batches, as a new version. */
  ingestQuery(ctx: RequestContext, input: QueryIngestInput): Promise<IngestOutcome> {
    return this.builder.ingestQuery(ctx, input);
  }

  /** Splits a version into train/(validation/)test versions of `${into}-train` etc., with lineage. */
  split(
    ctx: RequestContext,
    name: string,
    version: number,
    spec: SplitSpec,
    into?: string,
  ): Promise<SplitOutcome> {
    return this.builder.split(ctx, name, version, spec, into);
  }

  /** Runs `fn` on a version's table in a private DuckDB session (for other domains: features). */
  withVersionTable<T>(
    ctx: RequestContext,
    name: string,
    version: number,
    fn: (session: DuckSession, table: string, version: DatasetVersion) => Promise<T>,
  ): Promise<T> {
    return this.builder.withVersionTable(ctx, name, version, fn);
  }

  /** Runs `fn` on several versions' tables in one private DuckDB session (for training). */
  withVersionTables<T>(
    ctx: RequestContext,
    refs: readonly { name: string; version: number }[],
    fn: (session: DuckSession, tables: string[], versions: DatasetVersion[]) => Promise<T>,
  ): Promise<T> {
    return this.builder.withVersionTables(ctx, refs, fn);
  }

  /** A version by number, or the dataset's latest when none is given; not_found or invalid otherwise. */
  async resolveVersion(ctx: RequestContext, name: string, version?: number): Promise<DatasetVersion> {
    if (version !== undefined) return this.version(ctx, name, version);
    const dataset = await this.get(ctx, name);
    if (!dataset.latestVersion) throw invalid(`Dataset '${name}' has no versions yet`, { field: 'dataset' });
    return this.version(ctx, name, dataset.latestVersion.version);
  }

  /** The database id of a version's dataset, for other domains' rows that reference the version. */
  async versionKey(
    ctx: RequestContext,
    name: string,
    version: number,
  ): Promise<{ datasetId: number; version: DatasetVersion }> {
    const row = await this.mustFind(ctx, name);
    return { datasetId: row.id, version: await this.version(ctx, name, version) };
  }

  /** A new version of another dataset made from a version by `input.build`, with lineage. */
  derive(ctx: RequestContext, input: DeriveInput): Promise<IngestOutcome> {
    return this.builder.derive(ctx, input);
  }

  /** Saves the rules every new version is validated with (null drops them), checked against the data now. */
  setRules(ctx: RequestContext, name: string, rules: ValidationRule[] | null): Promise<void> {
    return this.validation.setRules(ctx, name, rules);
  }

  /** Validates a version (given rules, or the saved ones) and stores the report with it. */
  validate(
    ctx: RequestContext,
    name: string,
    version: number,
    rules?: ValidationRule[],
  ): Promise<StoredReport> {
    return this.validation.validate(ctx, name, version, rules);
  }

  /** The validation reports of a version, newest first. */
  reports(ctx: RequestContext, name: string, version: number): Promise<StoredReport[]> {
    return this.validation.reports(ctx, name, version);
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
