import type { Db } from '../../store/index.js';
import type { TrialRecord, TrialStorage } from '../tuning/index.js';
import type { StudiesRepository } from './studies.repository.js';
import { toTrialRecord } from './trial-row.js';

/**
 * The tuning engine's TrialStorage over tuning_trials: `save` upserts by (study, number), each write
 * committed before it resolves. The engine's records carry no run id, so the objective tells the storage
 * which training run the current attempt of a trial made, and the next save of that trial stores it.
 */
export class StudyTrialStorage implements TrialStorage {
  private readonly runIds = new Map<number, string>();

  constructor(
    private readonly db: Db,
    private readonly repo: StudiesRepository,
    private readonly projectId: string,
    private readonly studyId: number,
  ) {}

  async load(): Promise<TrialRecord[]> {
    return (await this.repo.trials(this.db, this.projectId, this.studyId)).map(toTrialRecord);
  }

  async save(trial: TrialRecord): Promise<void> {
    await this.repo.saveTrial(
      this.db,
      this.projectId,
      this.studyId,
      trial,
      this.runIds.get(trial.number) ?? null,
    );
  }

  /** The run of the trial's current attempt (a re-run trial starts without one). */
  setRunId(trialNumber: number, runId: string | undefined): void {
    if (runId === undefined) this.runIds.delete(trialNumber);
    else this.runIds.set(trialNumber, runId);
  }
}
