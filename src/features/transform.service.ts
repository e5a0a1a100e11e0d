import {
  type Clock,
  decodeToken,
  encodeToken,
  invalid,
  isNonNegativeInt,
  notFound,
  type RequestContext,
  systemClock,
} from '../core/index.js';
import type { DatasetService, IngestOutcome } from '../data/index.js';
import { type Db, writeAudit } from '../store/index.js';
import { compileRowTransform } from './apply-row.js';
import { applyTransformsSql } from './apply-sql.js';
import { parseTransformConfig } from './config.js';
import { fitTransforms } from './fit.js';
import type {
  OutputValue,
  RowTransform,
  StoredTransform,
  TransformConfig,
  TransformPage,
} from './transform.entity.js';
import { TransformRepository } from './transform.repository.js';

export interface FitInput {
  dataset: string;
  /** Default: the dataset's latest version. */
  version?: number | undefined;
  config: unknown;
  /** A label (default: `{dataset}-transform`). */
  name?: string | undefined;
}

export interface ApplyInput {
  /** The version to transform (default: the latest) and the dataset the result becomes a version of. */
  dataset: string;
  version?: number | undefined;
  /** Default: `{dataset}-{transform name}`. */
  into?: string | undefined;
}

/** Most rows one request may transform: a request body, not a batch job (batches go through apply). */
export const MAX_ROWS_PER_REQUEST = 10_000;
// Compiled row transforms are kept for the hot path (serving calls the same few transforms).
const COMPILED_CACHE_SIZE = 64;

/**
 * Feature transforms as a service: fitted on a dataset version (in DuckDB) and stored, applied to a
 * whole version (one SQL statement, the result a new version with lineage) or to rows (compiled TS).
 */
export class TransformService {
  private readonly repo = new TransformRepository();
  private readonly compiled = new Map<number, RowTransform>();
  private readonly clock: Clock;

  constructor(
    private readonly db: Db,
    private readonly datasets: DatasetService,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async fit(ctx: RequestContext, input: FitInput): Promise<StoredTransform> {
    const config: TransformConfig = parseTransformConfig(input.config);
    const version = input.version ?? (await this.latest(ctx, input.dataset));
    const { datasetId } = await this.datasets.versionKey(ctx, input.dataset, version);
    const spec = await this.datasets.withVersionTable(ctx, input.dataset, version, (session, table) =>
      fitTransforms(session, table, config),
    );
    const name = input.name ?? `${input.dataset}-transform`;
    const now = this.clock.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const newId = await this.repo.insert(trx, {
        project_id: ctx.projectId,
        name,
        dataset_id: datasetId,
        dataset_version: version,
        config: JSON.stringify(config),
        spec: JSON.stringify(spec),
        created_by: ctx.actor.name,
        created_at: now,
      });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'transform.fit',
          entityType: 'transform',
          entityId: String(newId),
          after: { name, dataset: input.dataset, version, outputs: spec.outputs.length },
        },
        now,
      );
      return newId;
    });
    return {
      id,
      name,
      dataset: input.dataset,
      datasetVersion: version,
      config,
      spec,
      createdBy: ctx.actor.name,
      createdAt: now,
    };
  }

  async get(ctx: RequestContext, id: number): Promise<StoredTransform> {
    const t = await this.repo.get(this.db, ctx.projectId, id);
    if (!t) throw notFound('Transform', String(id));
    return t;
  }

  async list(
    ctx: RequestContext,
    input: {
      dataset?: string | undefined;
      maxResults?: number | undefined;
      pageToken?: string | undefined;
    } = {},
  ): Promise<TransformPage> {
    const limit = input.maxResults ?? 1000;
    const afterId = input.pageToken ? decodeToken(input.pageToken, isNonNegativeInt) : 0;
    const rows = await this.repo.list(this.db, ctx.projectId, {
      dataset: input.dataset,
      afterId,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextPageToken: rows.length > limit && last ? encodeToken(last.id) : undefined };
  }

  /** Transforms rows one by one with the TypeScript engine: what online serving runs. */
  async applyRows(
    ctx: RequestContext,
    id: number,
    rows: readonly Record<string, unknown>[],
  ): Promise<Record<string, OutputValue>[]> {
    if (rows.length > MAX_ROWS_PER_REQUEST) {
      throw invalid(
        `rows: at most ${MAX_ROWS_PER_REQUEST} rows per request; transform a dataset version for more`,
        {
          field: 'rows',
        },
      );
    }
    const transform = await this.rowTransform(ctx, id);
    return rows.map((row, i) => {
      try {
        return transform.apply(row);
      } catch (err) {
        if (err instanceof Error && 'code' in err) err.message = `rows[${i}]: ${err.message}`;
        throw err;
      }
    });
  }

  /** Transforms a whole dataset version in DuckDB; the result is a version of `into`, with lineage. */
  async applyToVersion(ctx: RequestContext, id: number, input: ApplyInput): Promise<IngestOutcome> {
    const t = await this.get(ctx, id);
    const version = input.version ?? (await this.latest(ctx, input.dataset));
    return this.datasets.derive(ctx, {
      parent: { dataset: input.dataset, version },
      into: input.into ?? `${input.dataset}-${t.name}`,
      description: `${input.dataset} transformed by ${t.name} (transform ${t.id})`,
      source: { kind: 'transform', params: { transform_id: t.id, transform_name: t.name } },
      what: 'the transformed table',
      build: async (session, parentTable) => {
        await applyTransformsSql(session, t.spec, parentTable, 'transformed');
        const [row] = await session.rows('SELECT count(*) AS n FROM transformed');
        return { table: 'transformed', rowCount: Number(row?.n ?? 0) };
      },
    });
  }

  private async rowTransform(ctx: RequestContext, id: number): Promise<RowTransform> {
    const cached = this.compiled.get(id);
    // Transforms are immutable, but the cache is shared across projects: check this project owns it.
    const t = await this.get(ctx, id);
    if (cached) return cached;
    const compiled = compileRowTransform(t.spec);
    if (this.compiled.size >= COMPILED_CACHE_SIZE) {
      const oldest = this.compiled.keys().next().value;
      if (oldest !== undefined) this.compiled.delete(oldest);
    }
    this.compiled.set(id, compiled);
    return compiled;
  }

  private async latest(ctx: RequestContext, dataset: string): Promise<number> {
    const d = await this.datasets.get(ctx, dataset);
    if (!d.latestVersion) throw invalid(`Dataset '${dataset}' has no versions yet`, { field: 'dataset' });
    return d.latestVersion.version;
  }
}
