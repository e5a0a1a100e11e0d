import { sql } from 'kysely';
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
import { type Db, isUniqueViolation, type Tx, writeAudit } from '../store/index.js';
import { ExperimentRepository, toExperiment } from './experiment.repository.js';
import type { Experiment, KeyValue, Page, ViewType } from './tracking.entity.js';
import { checkKey } from './validation.js';

export interface CreateExperimentInput {
  name: string;
  artifactLocation?: string | undefined;
  tags?: KeyValue[] | undefined;
}

export interface SearchExperimentsInput {
  view?: ViewType | undefined;
  nameLike?: string | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

const ARTIFACT_LOCATION_PATTERN = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_\-. /]+$/;

/** Experiments with MLflow's semantics: "Default" is id "0", names unique per project, soft delete. */
export class ExperimentService {
  private readonly repo = new ExperimentRepository();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(ctx: RequestContext, input: CreateExperimentInput): Promise<Experiment> {
    const name = input.name.trim();
    if (!name) throw invalid('name: must not be blank', { field: 'name' });
    if (input.artifactLocation !== undefined && !ARTIFACT_LOCATION_PATTERN.test(input.artifactLocation)) {
      throw invalid('artifact_location: must be a relative path inside the artifact store, without ..', {
        field: 'artifact_location',
      });
    }
    const tags = input.tags ?? [];
    tags.forEach((t, i) => {
      checkKey(t.key, `tags/${i}/key`);
    });
    const now = this.clock.now();
    try {
      return await this.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ id: number }>`SELECT nextval('experiment_id_seq') AS id`.execute(trx);
        const id = Number(rows[0]!.id);
        const row = {
          experiment_id: id,
          project_id: ctx.projectId,
          name,
          artifact_location: input.artifactLocation ?? `experiments/${id}`,
          lifecycle_stage: 'active' as const,
          creation_time: now,
          last_update_time: now,
        };
        await trx.insertInto('experiments').values(row).execute();
        await this.repo.setTags(trx, ctx.projectId, id, tags);
        const experiment = toExperiment(
          row,
          [...tags].sort((a, b) => a.key.localeCompare(b.key)),
        );
        await writeAudit(
          trx,
          ctx,
          { action: 'experiment.create', entityType: 'experiment', entityId: experiment.id, after: { name } },
          now,
        );
        return experiment;
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new CyclopsError('already_exists', `Experiment '${name}' already exists`, {
          field: 'name',
          name,
        });
      }
      throw err;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<Experiment> {
    const row = await this.repo.findById(this.db, ctx.projectId, parseExperimentId(id));
    if (!row) throw notFound('Experiment', id);
    const tags = await this.repo.tagsOf(this.db, [row.experiment_id]);
    return toExperiment(row, tags.get(row.experiment_id) ?? []);
  }

  async getByName(ctx: RequestContext, name: string): Promise<Experiment> {
    const row = await this.repo.findByName(this.db, ctx.projectId, name);
    if (!row) throw new CyclopsError('not_found', `Experiment named '${name}' does not exist`, { name });
    const tags = await this.repo.tagsOf(this.db, [row.experiment_id]);
    return toExperiment(row, tags.get(row.experiment_id) ?? []);
  }

  async search(ctx: RequestContext, input: SearchExperimentsInput): Promise<Page<Experiment>> {
    const limit = input.maxResults ?? 1000;
    const afterId = input.pageToken ? decodeToken(input.pageToken, isNonNegativeInt) : -1;
    const rows = await this.repo.search(this.db, ctx.projectId, {
      view: input.view ?? 'active',
      nameLike: input.nameLike,
      afterId,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const tags = await this.repo.tagsOf(
      this.db,
      page.map((r) => r.experiment_id),
    );
    const last = page.at(-1);
    return {
      items: page.map((r) => toExperiment(r, tags.get(r.experiment_id) ?? [])),
      nextPageToken: rows.length > limit && last ? encodeToken(last.experiment_id) : undefined,
    };
  }

  async rename(ctx: RequestContext, id: string, newName: string): Promise<Experiment> {
    const name = newName.trim();
    if (!name) throw invalid('new_name: must not be blank', { field: 'new_name' });
    try {
      await this.mutate(ctx, id, 'experiment.rename', async (trx, before, now) => {
        await this.repo.update(trx, before.experiment_id, { name }, now);
        return { before: { name: before.name }, after: { name } };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new CyclopsError('already_exists', `Experiment '${name}' already exists`, {
          field: 'new_name',
        });
      }
      throw err;
    }
    return this.get(ctx, id);
  }

  /** Soft delete: the experiment and its active runs move to the `deleted` stage and can be restored. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.mutate(ctx, id, 'experiment.delete', async (trx, before, now) => {
      if (before.lifecycle_stage === 'deleted') return undefined;
      await this.repo.update(trx, before.experiment_id, { lifecycle_stage: 'deleted' }, now);
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: 'deleted', deleted_time: now })
        .where('experiment_id', '=', before.experiment_id)
        .where('lifecycle_stage', '=', 'active')
        .execute();
      return { before: { lifecycle_stage: 'active' }, after: { lifecycle_stage: 'deleted' } };
    });
  }

  async restore(ctx: RequestContext, id: string): Promise<void> {
    await this.mutate(ctx, id, 'experiment.restore', async (trx, before, now) => {
      if (before.lifecycle_stage === 'active') return undefined;
      await this.repo.update(trx, before.experiment_id, { lifecycle_stage: 'active' }, now);
      // Restores the runs that went down with the experiment, not runs deleted on their own before it.
      await trx
        .updateTable('runs')
        .set({ lifecycle_stage: 'active', deleted_time: null })
        .where('experiment_id', '=', before.experiment_id)
        .where('deleted_time', '=', before.last_update_time)
        .execute();
      return { before: { lifecycle_stage: 'deleted' }, after: { lifecycle_stage: 'active' } };
    });
  }

  async setTag(ctx: RequestContext, id: string, tag: KeyValue): Promise<void> {
    checkKey(tag.key, 'key');
    await this.mutate(ctx, id, 'experiment.set_tag', async (trx, before, now) => {
      await this.repo.setTags(trx, ctx.projectId, before.experiment_id, [tag]);
      await this.repo.update(trx, before.experiment_id, {}, now);
      return { after: { [tag.key]: tag.value } };
    });
  }

  async deleteTag(ctx: RequestContext, id: string, key: string): Promise<void> {
    await this.mutate(ctx, id, 'experiment.delete_tag', async (trx, before) => {
      const n = await this.repo.deleteTag(trx, before.experiment_id, key);
      if (n === 0) throw new CyclopsError('not_found', `Experiment ${id} has no tag '${key}'`, { key });
      return { before: { key } };
    });
  }

  /** Load-check-change-audit in one transaction; `change` returns the audit before/after or undefined for a no-op. */
  private async mutate(
    ctx: RequestContext,
    id: string,
    action: string,
    change: (
      trx: Tx,
      before: NonNullable<Awaited<ReturnType<ExperimentRepository['findById']>>>,
      now: number,
    ) => Promise<{ before?: unknown; after?: unknown } | undefined>,
  ): Promise<void> {
    const experimentId = parseExperimentId(id);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('experiments')
        .selectAll()
        .where('project_id', '=', ctx.projectId)
        .where('experiment_id', '=', experimentId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('Experiment', id);
      const summary = await change(trx, before, now);
      if (summary) {
        await writeAudit(trx, ctx, { action, entityType: 'experiment', entityId: id, ...summary }, now);
      }
    });
  }
}

export function parseExperimentId(id: string): number {
  if (!/^[0-9]{1,18}$/.test(id))
    throw invalid(`experiment_id: '${id}' is not an experiment id`, { field: 'experiment_id' });
  const n = Number(id);
  if (!Number.isSafeInteger(n))
    throw invalid(`experiment_id: '${id}' is out of range`, { field: 'experiment_id' });
  return n;
}
