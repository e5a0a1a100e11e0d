import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  type DuckSession,
  describeConnection,
  ingestInto,
  type LoadedTable,
  loadSnapshot,
  readPostgresQuery,
} from '../columnar/index.js';
import { SPLIT_NAMES, type SplitName, type SplitSpec, type ValidationRule } from '../contracts/index.js';
import { CyclopsError, invalid, type RequestContext } from '../core/index.js';
import {
  DATASET_NAME_RE,
  type DatasetVersion,
  type IngestOutcome,
  TABLE_FORMATS,
  type TableFormat,
  type VersionSource,
} from './dataset.entity.js';
import { toContract } from './dataset.repository.js';
import type { DatasetDeps } from './dataset-deps.js';
import { buildSplit, loadVersion } from './derive-split.js';
import { receiveUpload } from './receive-upload.js';
import { runRules } from './validation-runs.js';
import type { VersionPlan } from './version-registrar.js';
import { type BuiltVersion, buildTable, requireRows, withScratch } from './version-source.js';

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

export interface SplitOutcome {
  parent: { dataset: string; version: number };
  /** The spec as applied, defaults filled in. */
  spec: SplitSpec;
  splits: { name: SplitName; rowCount: number; outcome: IngestOutcome }[];
  dropped: { missingTime: number; betweenBoundaries: number };
}

export interface DeriveInput {
  parent: { dataset: string; version: number };
  /** The dataset the new version belongs to (created if new). */
  into: string;
  description?: string | undefined;
  source: VersionSource;
  /** What the result is called in errors ("the transformed table"). */
  what: string;
  /** Creates the derived table in the session from the parent's table; returns it. */
  build: (session: DuckSession, parentTable: string) => Promise<LoadedTable>;
}

/**
 * Every way a version is made: an upload, a query, a split, a derivation by another domain. Each loads a
 * table into a private DuckDB session, snapshots it and registers it; a failure registers nothing.
 */
export class VersionBuilder {
  constructor(private readonly deps: DatasetDeps) {}

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
      // Straight from the file to the Parquet snapshot (ingestInto): no table is built unless the
      // dataset's saved rules need one to run on.
      const parquetPath = join(dir, 'upload.parquet');
      try {
        const result = await ingestInto(
          session,
          {
            path: upload,
            format: input.format,
            ...(input.header === undefined ? {} : { header: input.header }),
            ...(input.delimiter === undefined ? {} : { delimiter: input.delimiter }),
            ...(input.quote === undefined ? {} : { quote: input.quote }),
            ...(input.encoding === undefined ? {} : { encoding: input.encoding }),
          },
          parquetPath,
        );
        requireRows(result.rowCount, file);
        return {
          result,
          parquetPath,
          table: async () => (await loadSnapshot(session, parquetPath, 'uploaded')).table,
        };
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
    return this.ingestTable(ctx, name, input.description, source, 'query', async (session, dir) => {
      const loaded = await readPostgresQuery(session, {
        connectionString: input.connection,
        query: input.query,
      });
      const built = await buildTable(session, dir, loaded, 'query');
      return { ...built, table: async () => loaded.table };
    });
  }

  private async ingestTable(
    ctx: RequestContext,
    name: string,
    description: string | undefined,
    source: VersionSource,
    what: string,
    build: (session: DuckSession, dir: string) => Promise<BuiltVersion>,
  ): Promise<IngestOutcome> {
    const [outcome] = await withScratch(this.deps.session, async (session, dir) => {
      const built = await build(session, dir);
      const plan: VersionPlan = {
        datasetName: name,
        description,
        result: built.result,
        parquetPath: built.parquetPath,
        source,
      };
      // The dataset's saved rules run on every new version; the report is stored with it. (After the
      // snapshot is written: a custom SQL rule locks the session against file access.)
      const existing = await this.deps.repo.findDataset(this.deps.db, ctx.projectId, name);
      const rules = existing?.validation_rules as ValidationRule[] | null | undefined;
      if (existing && rules) {
        const report = await runRules(
          session,
          await built.table(),
          rules,
          built.result.schema.columns,
          toContract(existing),
          `this ${what}`,
        );
        plan.validation = { rules, report };
      }
      return this.deps.registrar.register(ctx, [plan]);
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
    const parentRow = await this.deps.mustFind(ctx, name);
    const parent = await this.deps.version(ctx, name, version);
    const prefix = into ?? name;
    for (const part of SPLIT_NAMES) checkName(`${prefix}-${part}`);
    const contract = parentRow.schema_contract ? JSON.stringify(parentRow.schema_contract) : undefined;
    return withScratch(this.deps.session, async (session, dir) => {
      await loadVersion(session, this.deps.artifacts, parent, dir, 'parent');
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
      const outcomes = await this.deps.registrar.register(ctx, plans);
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

  /**
   * Runs `fn` on a version's table loaded in a private DuckDB session (gone afterwards): what other
   * domains (features) compute on a version with.
   */
  async withVersionTable<T>(
    ctx: RequestContext,
    name: string,
    version: number,
    fn: (session: DuckSession, table: string, version: DatasetVersion) => Promise<T>,
  ): Promise<T> {
    const v = await this.deps.version(ctx, name, version);
    return withScratch(this.deps.session, async (session, dir) => {
      const loaded = await loadVersion(session, this.deps.artifacts, v, dir, 'version');
      return fn(session, loaded.table, v);
    });
  }

  /**
   * Runs `fn` on several versions' tables loaded in one private DuckDB session (gone afterwards), as
   * `table_0`, `table_1`...: what training computes on (train, validation and test data, transformed
   * alike in one session).
   */
  async withVersionTables<T>(
    ctx: RequestContext,
    refs: readonly { name: string; version: number }[],
    fn: (session: DuckSession, tables: string[], versions: DatasetVersion[]) => Promise<T>,
  ): Promise<T> {
    const versions: DatasetVersion[] = [];
    for (const ref of refs) versions.push(await this.deps.version(ctx, ref.name, ref.version));
    return withScratch(this.deps.session, async (session, dir) => {
      const tables: string[] = [];
      for (const [i, v] of versions.entries()) {
        tables.push((await loadVersion(session, this.deps.artifacts, v, dir, `table_${i}`)).table);
      }
      return fn(session, tables, versions);
    });
  }

  /**
   * A new version of dataset `into` made from a version of `name` by `build` (which creates a table in
   * the session from the parent's table), with the parent as lineage. Output datasets created here
   * start with the parent's contract only when `inheritContract` (a transform changes the columns).
   */
  async derive(ctx: RequestContext, input: DeriveInput): Promise<IngestOutcome> {
    const parentRow = await this.deps.mustFind(ctx, input.parent.dataset);
    const parent = await this.deps.version(ctx, input.parent.dataset, input.parent.version);
    const into = checkName(input.into);
    const [outcome] = await withScratch(this.deps.session, async (session, dir) => {
      await loadVersion(session, this.deps.artifacts, parent, dir, 'parent');
      const built = await buildTable(session, dir, await input.build(session, 'parent'), input.what);
      const plan: VersionPlan = {
        datasetName: into,
        description: input.description,
        result: built.result,
        parquetPath: built.parquetPath,
        source: input.source,
        parent: { datasetId: parentRow.id, dataset: parent.dataset, version: parent.version },
      };
      return this.deps.registrar.register(ctx, [plan]);
    });
    if (!outcome) throw new CyclopsError('internal', 'registration returned no outcome');
    return outcome;
  }
}

export function checkName(raw: string): string {
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
