import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/index.js';
import { type DuckSessionOptions, type IngestResult, ingestFile } from '../columnar/index.js';
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
import { publishEvent } from '../events/index.js';
import { type Db, isUniqueViolation, writeAudit } from '../store/index.js';
import {
  DATASET_NAME_RE,
  type Dataset,
  type DatasetPage,
  type DatasetVersion,
  type IngestOutcome,
  TABLE_FORMATS,
  type TableFormat,
  type TableProfile,
} from './dataset.entity.js';
import {
  DatasetRepository,
  type DatasetRow,
  storedSource,
  toDataset,
  toVersion,
} from './dataset.repository.js';
import { receiveUpload } from './receive-upload.js';

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

export interface ListDatasetsInput {
  nameLike?: string | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

export interface DatasetServiceOptions {
  clock?: Clock;
  session?: DuckSessionOptions;
}

export const VERSION_CREATED_TOPIC = 'dataset.version_created';
const MAX_REGISTER_ATTEMPTS = 3;

/** Datasets and their immutable, content-addressed versions (Parquet snapshots in the artifact store). */
export class DatasetService {
  private readonly repo = new DatasetRepository();
  private readonly clock: Clock;

  constructor(
    private readonly db: Db,
    private readonly artifacts: ArtifactStore,
    private readonly options: DatasetServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Upload -> temp file -> normalized Parquet -> version. Identical content (whatever its format) resolves
   * to the version that has it; a failure at any step registers nothing and leaves no files behind.
   */
  async ingest(ctx: RequestContext, input: IngestInput): Promise<IngestOutcome> {
    const name = checkName(input.datasetName);
    if (!TABLE_FORMATS.includes(input.format))
      throw invalid(`format: must be one of ${TABLE_FORMATS.join(', ')}`, { field: 'format' });
    const dir = await mkdtemp(join(tmpdir(), 'cyclops-ingest-'));
    try {
      const upload = join(dir, uploadName(input));
      await receiveUpload(input.body, upload, input.maxBytes);
      const parquet = join(dir, 'snapshot.parquet');
      const result = await ingestFile(
        {
          path: upload,
          format: input.format,
          ...(input.header === undefined ? {} : { header: input.header }),
          ...(input.delimiter === undefined ? {} : { delimiter: input.delimiter }),
          ...(input.quote === undefined ? {} : { quote: input.quote }),
          ...(input.encoding === undefined ? {} : { encoding: input.encoding }),
        },
        parquet,
        this.options.session,
      );
      await rm(upload, { force: true });
      for (let attempt = 1; attempt <= MAX_REGISTER_ATTEMPTS; attempt++) {
        const outcome = await this.register(ctx, name, input, result, parquet);
        if (outcome) return outcome;
      }
      throw new CyclopsError('conflict', `Dataset '${name}' kept changing during the ingest; try again`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** One attempt; undefined when a concurrent ingest created the dataset under another id (retry). */
  private async register(
    ctx: RequestContext,
    name: string,
    input: IngestInput,
    result: IngestResult,
    parquet: string,
  ): Promise<IngestOutcome | undefined> {
    const existing = await this.repo.findDataset(this.db, ctx.projectId, name);
    if (existing) {
      const same = await this.repo.findVersionByHash(this.db, existing.id, result.contentHash);
      if (same) return { created: false, version: toVersion(name, same) };
    }
    const datasetId = existing?.id ?? (await this.repo.reserveDatasetId(this.db));
    const artifactPath = `datasets/${datasetId}/${result.contentHash}.parquet`;
    await this.artifacts.put(artifactPath, createReadStream(parquet));
    let keep = false;
    try {
      const outcome = await this.db.transaction().execute(async (trx) => {
        const now = this.clock.now();
        const planned: DatasetRow = {
          id: datasetId,
          project_id: ctx.projectId,
          name,
          description: input.description ?? '',
          created_by: ctx.actor.name,
          created_at: now,
        };
        const dataset = await this.repo.lockOrCreate(trx, planned);
        if (dataset.id !== datasetId) return undefined;
        const same = await this.repo.findVersionByHash(trx, dataset.id, result.contentHash);
        if (same) return { created: false, version: toVersion(name, same) };
        const version = (await this.repo.maxVersion(trx, dataset.id)) + 1;
        const row = await this.repo.insertVersion(trx, {
          dataset_id: dataset.id,
          project_id: ctx.projectId,
          version,
          content_hash: result.contentHash,
          row_count: result.rowCount,
          bytes: result.bytes,
          schema: JSON.stringify(result.schema.columns),
          profile: JSON.stringify(result.profile),
          source: storedSource({ kind: 'upload', format: input.format, fileName: input.fileName }),
          parent_version: null,
          artifact_path: artifactPath,
          created_by: ctx.actor.name,
          created_at: now,
        });
        const summary = { version, content_hash: result.contentHash, row_count: result.rowCount };
        await writeAudit(
          trx,
          ctx,
          { action: 'dataset.version_create', entityType: 'dataset', entityId: name, after: summary },
          now,
        );
        await publishEvent(trx, ctx.projectId, VERSION_CREATED_TOPIC, { dataset: name, ...summary });
        return { created: true, version: toVersion(name, row) };
      });
      keep = outcome !== undefined;
      return outcome;
    } catch (err) {
      // The same content committed by a concurrent ingest between our check and our insert.
      if (isUniqueViolation(err)) {
        const same = await this.repo.findVersionByHash(this.db, datasetId, result.contentHash);
        if (same) {
          keep = true;
          return { created: false, version: toVersion(name, same) };
        }
      }
      throw err;
    } finally {
      if (!keep) await this.dropUnreferenced(artifactPath);
    }
  }

  private async dropUnreferenced(artifactPath: string): Promise<void> {
    if (await this.repo.isArtifactReferenced(this.db, artifactPath)) return;
    await this.artifacts.delete(artifactPath);
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
    if (!v)
      throw new CyclopsError('not_found', `Dataset '${name}' has no version ${version}`, {
        entity: 'DatasetVersion',
        id: `${name}@${version}`,
      });
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
