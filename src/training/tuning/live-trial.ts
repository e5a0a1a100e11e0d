import { invalid } from '../../core/index.js';
import type { PrunerTrialView } from './pruners/pruner.js';
import type { Params } from './space.js';
import type { TrialObservation, TrialRecord, TrialState } from './trial.entity.js';

const STATES: readonly TrialState[] = ['running', 'complete', 'pruned', 'failed'];

/** A trial while the study holds it: what pruners read, samplers observe, and storage saves. */
export class LiveTrial implements PrunerTrialView {
  state: TrialState = 'running';
  intermediate = new Map<number, number>();
  value?: number;
  error?: string;
  endedAt?: number;

  constructor(
    readonly id: number,
    readonly params: Params,
    public startedAt: number,
  ) {}

  static fromRecord(r: TrialRecord): LiveTrial {
    if (!Number.isSafeInteger(r.number) || r.number < 0 || !STATES.includes(r.state)) {
      throw invalid(
        `stored trial ${JSON.stringify(r.number)} is malformed (state ${JSON.stringify(r.state)})`,
      );
    }
    const t = new LiveTrial(r.number, { ...r.params }, r.startedAt);
    t.state = r.state;
    t.intermediate = new Map(r.intermediate);
    if (r.value !== undefined) t.value = r.value;
    if (r.error !== undefined) t.error = r.error;
    if (r.endedAt !== undefined) t.endedAt = r.endedAt;
    return t;
  }

  get number(): number {
    return this.id;
  }

  get finished(): boolean {
    return this.state !== 'running';
  }

  /** The (step, value) of the highest step reported. */
  lastReport(): [number, number] | undefined {
    let last: [number, number] | undefined;
    for (const [s, v] of this.intermediate) if (!last || s > last[0]) last = [s, v];
    return last;
  }

  /** Starts the trial over with the same number and parameters (after an interruption). */
  restart(now: number): void {
    this.state = 'running';
    this.intermediate = new Map();
    this.value = undefined;
    this.error = undefined;
    this.endedAt = undefined;
    this.startedAt = now;
  }

  finish(
    state: Exclude<TrialState, 'running'>,
    now: number,
    outcome: { value?: number; error?: string },
  ): void {
    this.state = state;
    this.endedAt = now;
    this.value = outcome.value;
    this.error = outcome.error;
  }

  observation(): TrialObservation {
    const last = this.state === 'pruned' ? this.lastReport() : undefined;
    return {
      number: this.id,
      params: this.params,
      state: this.state,
      ...(this.value !== undefined ? { value: this.value } : {}),
      ...(last ? { lastStep: last[0] } : {}),
    };
  }

  toRecord(): TrialRecord {
    return {
      number: this.id,
      params: { ...this.params },
      state: this.state,
      ...(this.value !== undefined ? { value: this.value } : {}),
      intermediate: [...this.intermediate].sort((a, b) => a[0] - b[0]),
      ...(this.error !== undefined ? { error: this.error } : {}),
      startedAt: this.startedAt,
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
    };
  }
}
