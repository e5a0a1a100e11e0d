import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Database, Db, Tx } from '../../store/index.js';
import type { BestTrial, Params, TrialRecord } from '../tuning/index.js';
import type { StudyStatus, TuningTrial } from './study.entity.js';
import { encodeIntermediate, toTrial } from './trial-row.js';

export type StudyRow = Selectable<Database['tuning_studies']>;
type StudyInsert = Insertable<Database['tuning_studies']>;
type StudyPatch = Updateable<Database['tuning_studies']>;

/** All SQL of tuning studies and their trials. */
export class StudiesRepository {
  /** Reserves the next study id, so the study's run can be tagged with it before the study is inserted. */
  async nextId(db: Db): Promise<number> {
    const { rows } = await sql<{
      id: number | string;
    }>`SELECT nextval(pg_get_serial_sequence('tuning_studies', 'id')) AS id`.execute(db);
    return Number(rows[0]!.id);
  }

  async insert(trx: Tx, row: StudyInsert): Promise<number> {
    const { id } = await trx
      .insertInto('tuning_studies')
      .values(row)
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(id);
  }

  async get(db: Db | Tx, projectId: string, id: number): Promise<StudyRow | undefined> {
    return db
      .selectFrom('tuning_studies')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Newest first. */
  async list(
    db: Db,
    projectId: string,
    opts: { beforeId: number | undefined; limit: number; status?: StudyStatus | undefined },
  ): Promise<StudyRow[]> {
    let q = db.selectFrom('tuning_studies').selectAll().where('project_id', '=', projectId);
    if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
    if (opts.status !== undefined) q = q.where('status', '=', opts.status);
    return q.orderBy('id', 'desc').limit(opts.limit).execute();
  }

  /**
   * Updates the study when its status is one of `from` (all statuses when absent); returns the row as it
   * was, or undefined when nothing matched. The row is locked, so two callers cannot both move it.
   */
  async update(
    trx: Tx,
    projectId: string,
    id: number,
    patch: StudyPatch,
    from?: readonly StudyStatus[],
  ): Promise<StudyRow | undefined> {
    let q = trx
      .selectFrom('tuning_studies')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id);
    if (from) q = q.where('status', 'in', [...from]);
    const before = await q.forUpdate().executeTakeFirst();
    if (!before) return undefined;
    await trx.updateTable('tuning_studies').set(patch).where('id', '=', id).execute();
    return before;
  }

  async trials(db: Db, projectId: string, studyId: number): Promise<TuningTrial[]> {
    const rows = await db
      .selectFrom('tuning_trials')
      .select([
        'number',
        'params',
        'state',
        'value',
        'intermediate',
        'error',
        'run_id',
        'started_at',
        'ended_at',
      ])
      .where('project_id', '=', projectId)
      .where('study_id', '=', studyId)
      .orderBy('number')
      .execute();
    return rows.map(toTrial);
  }

  /** Inserts the trial or replaces the one with its number. */
  async saveTrial(
    db: Db,
    projectId: string,
    studyId: number,
    trial: TrialRecord,
    runId: string | null,
  ): Promise<void> {
    await db
      .insertInto('tuning_trials')
      .values({
        study_id: studyId,
        project_id: projectId,
        number: trial.number,
        params: JSON.stringify(trial.params),
        state: trial.state,
        value: trial.value ?? null,
        intermediate: encodeIntermediate(trial.intermediate),
        error: trial.error ?? null,
        run_id: runId,
        started_at: trial.startedAt,
        ended_at: trial.endedAt ?? null,
      })
      .onConflict((oc) =>
        oc.columns(['study_id', 'number']).doUpdateSet((eb) => ({
          params: eb.ref('excluded.params'),
          state: eb.ref('excluded.state'),
          value: eb.ref('excluded.value'),
          intermediate: eb.ref('excluded.intermediate'),
          error: eb.ref('excluded.error'),
          run_id: eb.ref('excluded.run_id'),
          started_at: eb.ref('excluded.started_at'),
          ended_at: eb.ref('excluded.ended_at'),
        })),
      )
      .execute();
  }

  /** Per study: its finished trials, and its best complete trial (lowest number on ties, as bestTrial). */
  async summaries(
    db: Db,
    projectId: string,
    ids: readonly number[],
  ): Promise<Map<number, { completed: number; best: BestTrial | null }>> {
    const out = new Map<number, { completed: number; best: BestTrial | null }>();
    if (ids.length === 0) return out;
    const counts = await db
      .selectFrom('tuning_trials')
      .select(['study_id', sql<number>`count(*) FILTER (WHERE state <> 'running')::int`.as('completed')])
      .where('project_id', '=', projectId)
      .where('study_id', 'in', [...ids])
      .groupBy('study_id')
      .execute();
    for (const id of ids) out.set(id, { completed: 0, best: null });
    for (const c of counts) out.set(Number(c.study_id), { completed: Number(c.completed), best: null });
    const best = await db
      .selectFrom('tuning_trials as t')
      .innerJoin('tuning_studies as s', 's.id', 't.study_id')
      .distinctOn('t.study_id')
      .select(['t.study_id', 't.number', 't.value', 't.params'])
      .where('t.project_id', '=', projectId)
      .where('t.study_id', 'in', [...ids])
      .where('t.state', '=', 'complete')
      .where('t.value', 'is not', null)
      .orderBy('t.study_id')
      .orderBy(sql`CASE WHEN s.direction = 'maximize' THEN -t.value ELSE t.value END`)
      .orderBy('t.number')
      .execute();
    for (const b of best) {
      const entry = out.get(Number(b.study_id));
      if (entry) entry.best = { number: b.number, value: b.value as number, params: b.params as Params };
    }
    return out;
  }
}
