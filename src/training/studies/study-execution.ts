import type { Clock, RequestContext } from '../../core/index.js';
import { type Db, writeAudit } from '../../store/index.js';
import type { TrainingService } from '../training.service.js';
import {
  bestTrial,
  gridSampler,
  medianPruner,
  type Pruner,
  randomSampler,
  runStudy,
  type Sampler,
  successiveHalvingPruner,
  tpeSampler,
} from '../tuning/index.js';
import type { ActiveStudy } from './active-studies.js';
import type { ParentRun } from './parent-run.js';
import type { StudiesRepository } from './studies.repository.js';
import type { ResolvedStudyConfig, StudyStatus } from './study.entity.js';
import { StudyTrialStorage } from './study-trial-storage.js';
import { studyObjective } from './trial-objective.js';
import { toTrialRecord } from './trial-row.js';

export interface ExecutionDeps {
  db: Db;
  repo: StudiesRepository;
  training: Pick<TrainingService, 'train'>;
  clock: Clock;
}

export const STUDY_ENTITY = 'tuning_study';
type EndStatus = Exclude<StudyStatus, 'running'>;

/**
 * The study's pruner: it sees each trial's validation loss per iteration while the trial trains (see
 * trial-objective.ts) and stops the unpromising ones.
 */
export function prunerFor(config: Pick<ResolvedStudyConfig, 'pruner'>): Pruner | undefined {
  if (config.pruner === 'median') return medianPruner();
  if (config.pruner === 'successive_halving') return successiveHalvingPruner();
  return undefined;
}

export function samplerFor(config: Pick<ResolvedStudyConfig, 'sampler' | 'seed'>): Sampler {
  if (config.sampler === 'grid') return gridSampler();
  if (config.sampler === 'random') return randomSampler({ seed: config.seed });
  return tpeSampler({ seed: config.seed });
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Runs the study's trials to the end (or a stop, or a failure), then records how it ended. */
export async function executeStudy(
  deps: ExecutionDeps,
  ctx: RequestContext,
  state: ActiveStudy,
  config: ResolvedStudyConfig,
  parent: ParentRun,
): Promise<void> {
  const storage = new StudyTrialStorage(deps.db, deps.repo, ctx.projectId, state.id);
  let status: EndStatus = 'finished';
  let error: string | null = null;
  try {
    await runStudy({
      space: config.space,
      sampler: samplerFor(config),
      ...(prunerFor(config) ? { pruner: prunerFor(config) } : {}),
      direction: config.direction,
      nTrials: config.nTrials,
      concurrency: config.concurrency,
      objective: studyObjective({ ctx, config, training: deps.training, storage, parentRunId: parent.runId }),
      storage,
      signal: state.controller.signal,
      onProgress: (p) => {
        state.progress = p;
        parent.progress(p);
      },
      clock: deps.clock,
    });
  } catch (err) {
    status = state.stop ? 'cancelled' : 'failed';
    error = state.stop?.reason ?? describe(err);
  }
  await recordEnd(deps, state.stop?.ctx ?? ctx, state.id, { status, error }, parent);
}

/** Records how a study ended (the row and its audit row in one transaction), then tells its run. */
export async function recordEnd(
  deps: Pick<ExecutionDeps, 'db' | 'repo' | 'clock'>,
  ctx: RequestContext,
  id: number,
  outcome: { status: EndStatus; error: string | null },
  parent: ParentRun | undefined,
): Promise<void> {
  const { db, repo } = deps;
  const { status, error } = outcome;
  const trials = await repo.trials(db, ctx.projectId, id);
  const now = deps.clock.now();
  const best = await db.transaction().execute(async (trx) => {
    const row = await repo.get(trx, ctx.projectId, id);
    const found = row ? bestTrial(trials.map(toTrialRecord), row.direction) : null;
    const patch = { status, best_trial: found?.number ?? null, error, ended_at: now };
    const before = await repo.update(trx, ctx.projectId, id, patch);
    const action = `${STUDY_ENTITY}.${status === 'finished' ? 'finish' : status === 'failed' ? 'fail' : 'cancel'}`;
    await writeAudit(
      trx,
      ctx,
      {
        action,
        entityType: STUDY_ENTITY,
        entityId: String(id),
        before: { status: before?.status },
        after: patch,
      },
      now,
    );
    return found;
  });
  await parent?.end(status, {
    best,
    bestRunId: best ? (trials.find((t) => t.number === best.number)?.runId ?? null) : null,
    completed: trials.filter((t) => t.state !== 'running').length,
    error,
  });
}
