import type { Insertable } from 'kysely';
import type { Db, TransformsTable, Tx } from '../store/index.js';
import type { StoredTransform, TransformConfig, TransformSpec } from './transform.entity.js';

interface TransformRow {
  id: number | string;
  name: string;
  dataset: string;
  dataset_version: number;
  config: unknown;
  spec: unknown;
  created_by: string;
  created_at: number | string;
}

function toTransform(r: TransformRow): StoredTransform {
  return {
    id: Number(r.id),
    name: r.name,
    dataset: r.dataset,
    datasetVersion: r.dataset_version,
    config: r.config as TransformConfig,
    spec: r.spec as TransformSpec,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
}

/** Fitted transforms; the training dataset's name comes with each, for lineage without a second query. */
export class TransformRepository {
  private select(db: Db | Tx) {
    return db
      .selectFrom('transforms as t')
      .innerJoin('datasets as d', 'd.id', 't.dataset_id')
      .select([
        't.id',
        't.name',
        'd.name as dataset',
        't.dataset_version',
        't.config',
        't.spec',
        't.created_by',
        't.created_at',
      ]);
  }

  async insert(trx: Tx, row: Insertable<TransformsTable>): Promise<number> {
    const { id } = await trx.insertInto('transforms').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(id);
  }

  async get(db: Db, projectId: string, id: number): Promise<StoredTransform | undefined> {
    const row = await this.select(db)
      .where('t.project_id', '=', projectId)
      .where('t.id', '=', id)
      .executeTakeFirst();
    return row ? toTransform(row) : undefined;
  }

  async list(
    db: Db,
    projectId: string,
    opts: { dataset?: string | undefined; afterId: number; limit: number },
  ): Promise<StoredTransform[]> {
    let q = this.select(db).where('t.project_id', '=', projectId).where('t.id', '>', opts.afterId);
    if (opts.dataset !== undefined) q = q.where('d.name', '=', opts.dataset);
    return (await q.orderBy('t.id').limit(opts.limit).execute()).map(toTransform);
  }
}
