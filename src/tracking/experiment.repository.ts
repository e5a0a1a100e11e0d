import type { Db, ExperimentsTable, Tx } from '../store/index.js';
import type { Experiment, KeyValue, ViewType } from './tracking.entity.js';

type ExperimentRow = Omit<ExperimentsTable, 'experiment_id'> & { experiment_id: number };

export function toExperiment(row: ExperimentRow, tags: KeyValue[]): Experiment {
  return {
    id: String(row.experiment_id),
    projectId: row.project_id,
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags,
  };
}

export class ExperimentRepository {
  async findById(db: Db | Tx, projectId: string, id: number): Promise<ExperimentRow | undefined> {
    return db
      .selectFrom('experiments')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('experiment_id', '=', id)
      .executeTakeFirst();
  }

  async findByName(db: Db | Tx, projectId: string, name: string): Promise<ExperimentRow | undefined> {
    return db
      .selectFrom('experiments')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async tagsOf(db: Db | Tx, ids: number[]): Promise<Map<number, KeyValue[]>> {
    const out = new Map<number, KeyValue[]>();
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom('experiment_tags')
      .select(['experiment_id', 'key', 'value'])
      .where('experiment_id', 'in', ids)
      .orderBy('key')
      .execute();
    for (const r of rows) {
      const list = out.get(r.experiment_id) ?? [];
      list.push({ key: r.key, value: r.value });
      out.set(r.experiment_id, list);
    }
    return out;
  }

  async search(
    db: Db,
    projectId: string,
    opts: { view: ViewType; nameLike?: string | undefined; afterId: number; limit: number },
  ): Promise<ExperimentRow[]> {
    let q = db.selectFrom('experiments').selectAll().where('project_id', '=', projectId);
    if (opts.view !== 'all') q = q.where('lifecycle_stage', '=', opts.view);
    if (opts.nameLike) q = q.where('name', 'ilike', opts.nameLike);
    return q.where('experiment_id', '>', opts.afterId).orderBy('experiment_id').limit(opts.limit).execute();
  }

  async insert(trx: Tx, row: Omit<ExperimentRow, 'experiment_id'>): Promise<ExperimentRow> {
    const id = await trx
      .insertInto('experiments')
      .values(row)
      .returning('experiment_id')
      .executeTakeFirstOrThrow();
    return { ...row, experiment_id: id.experiment_id };
  }

  async update(
    trx: Tx,
    id: number,
    patch: Partial<Pick<ExperimentRow, 'name' | 'lifecycle_stage' | 'artifact_location'>>,
    now: number,
  ): Promise<void> {
    await trx
      .updateTable('experiments')
      .set({ ...patch, last_update_time: now })
      .where('experiment_id', '=', id)
      .execute();
  }

  async setTags(trx: Tx, projectId: string, id: number, tags: KeyValue[]): Promise<void> {
    if (tags.length === 0) return;
    await trx
      .insertInto('experiment_tags')
      .values(tags.map((t) => ({ experiment_id: id, project_id: projectId, key: t.key, value: t.value })))
      .onConflict((oc) =>
        oc.columns(['experiment_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }

  async deleteTag(trx: Tx, id: number, key: string): Promise<number> {
    const r = await trx
      .deleteFrom('experiment_tags')
      .where('experiment_id', '=', id)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
