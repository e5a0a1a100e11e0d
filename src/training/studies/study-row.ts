import type { Insertable } from 'kysely';
import type { RequestContext } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import { gridSampler, parseSearchSpace } from '../tuning/index.js';
import type { StudyRow } from './studies.repository.js';
import type { ResolvedStudyConfig, StudyProgress, StudySamplerName, TuningStudy } from './study.entity.js';

/** The row of a study being started: running, its config stored as given. */
export function newStudyRow(
  ctx: RequestContext,
  study: { id: number; raw: unknown; config: ResolvedStudyConfig; parentRunId: string; now: number },
): Insertable<Database['tuning_studies']> {
  const { config } = study;
  return {
    id: study.id,
    project_id: ctx.projectId,
    name: config.name,
    config: JSON.stringify(study.raw),
    direction: config.direction,
    metric: config.metric,
    sampler: config.sampler,
    seed: config.seed,
    n_trials: config.nTrials,
    concurrency: config.concurrency,
    status: 'running',
    parent_run_id: study.parentRunId,
    best_trial: null,
    error: null,
    created_by: ctx.actor.name,
    created_at: study.now,
    ended_at: null,
  };
}

/** Trials a study runs in all: n_trials, or the grid's size when smaller (as runStudy counts). */
export function studyTotal(row: Pick<StudyRow, 'sampler' | 'n_trials' | 'config'>): number {
  if (row.sampler !== 'grid') return row.n_trials;
  const space = parseSearchSpace((row.config as { space?: unknown }).space);
  return Math.min(row.n_trials, gridSampler().capacity?.(space) ?? row.n_trials);
}

export function toStudy(row: StudyRow, progress: StudyProgress): TuningStudy {
  return {
    id: Number(row.id),
    name: row.name,
    status: row.status,
    config: row.config,
    metric: row.metric,
    direction: row.direction,
    sampler: row.sampler as StudySamplerName,
    seed: row.seed,
    nTrials: row.n_trials,
    concurrency: row.concurrency,
    parentRunId: row.parent_run_id,
    bestTrial: row.best_trial,
    error: row.error,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    progress,
  };
}
