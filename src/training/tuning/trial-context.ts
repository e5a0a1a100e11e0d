import type { Params } from './space.js';

/** What the objective gets besides its parameters. */
export interface TrialContext {
  readonly number: number;
  readonly params: Readonly<Params>;
  /** Aborted when the study is cancelled or stopped: the objective should give up soon after. */
  readonly signal: AbortSignal;
  /**
   * Records an intermediate value (e.g. the validation loss after an epoch) and asks the pruner. Returns
   * true when the trial is pruned: the objective should stop (return anything or throw anything) and the
   * trial is recorded `pruned` whatever it does next. A step reported twice keeps its first value.
   */
  report(step: number, value: number): boolean;
  /** Whether the trial has been pruned (sticky). */
  shouldPrune(): boolean;
}

/** Thrown by an objective to prune its own trial, as Optuna's `TrialPruned`. */
export class TrialPrunedError extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPrunedError';
  }
}
