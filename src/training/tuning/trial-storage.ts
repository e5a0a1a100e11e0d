import type { TrialRecord } from './trial.entity.js';

/**
 * Where a study keeps its trials; the tracking or store layer implements it around the engine.
 * `save` inserts or replaces the trial with that number; once it resolves the write must be durable,
 * since a resumed study trusts `load` for what happened.
 */
export interface TrialStorage {
  load(): Promise<TrialRecord[]>;
  save(trial: TrialRecord): Promise<void>;
}

/** For tests and one-off studies; copies on the way in and out, as a database would. */
export class InMemoryTrialStorage implements TrialStorage {
  private readonly trials = new Map<number, TrialRecord>();

  constructor(initial: readonly TrialRecord[] = []) {
    for (const t of initial) this.trials.set(t.number, structuredClone(t));
  }

  async load(): Promise<TrialRecord[]> {
    return [...this.trials.values()].sort((a, b) => a.number - b.number).map((t) => structuredClone(t));
  }

  async save(trial: TrialRecord): Promise<void> {
    this.trials.set(trial.number, structuredClone(trial));
  }
}
