import type { Params, SearchSpace } from '../space.js';
import type { Direction, TrialObservation } from '../trial.entity.js';

export interface SampleRequest {
  readonly space: SearchSpace;
  /** Every trial of the study other than the one being sampled, in number order, running ones included. */
  readonly history: readonly TrialObservation[];
  readonly direction: Direction;
  readonly trialNumber: number;
}

/**
 * Proposes the parameters of one trial. Pure: the same request gives the same parameters, which is what
 * makes a resumed study repeat an uninterrupted one.
 */
export interface Sampler {
  readonly name: string;
  /** How many distinct trials it can propose (a grid's size); absent when unbounded. */
  capacity?(space: SearchSpace): number;
  sample(request: SampleRequest): Params;
}
