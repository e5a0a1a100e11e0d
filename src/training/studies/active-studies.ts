import { CyclopsError, type RequestContext } from '../../core/index.js';
import type { StudyProgress } from './study.entity.js';

/** A study running in this process. */
export interface ActiveStudy {
  id: number;
  projectId: string;
  controller: AbortController;
  /** From the engine's onProgress; null until a trial of this run finished. */
  progress: StudyProgress | null;
  /** Settles when the study has ended and its end is recorded; never rejects. */
  done: Promise<void>;
  settle: () => void;
  /** An error recording the end (the store or the tracker failed), rethrown by `wait`. */
  failure?: unknown;
  /** Who stopped it and why, for the audit row and the study's `error`. */
  stop?: { ctx: RequestContext; reason: string };
}

/** The studies running in this process, by id: at most one run of a study at a time. */
export class ActiveStudies {
  private readonly byId = new Map<number, ActiveStudy>();

  get(id: number): ActiveStudy | undefined {
    return this.byId.get(id);
  }

  all(): ActiveStudy[] {
    return [...this.byId.values()];
  }

  /** Marks the study as running here; a second claim is a conflict (checked and set with no await between). */
  claim(ctx: RequestContext, id: number): ActiveStudy {
    if (this.byId.has(id)) {
      throw new CyclopsError('conflict', `Study ${id} is already running in this process`, { id });
    }
    let settle: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const state: ActiveStudy = {
      id,
      projectId: ctx.projectId,
      controller: new AbortController(),
      progress: null,
      done,
      settle,
    };
    this.byId.set(id, state);
    return state;
  }

  release(state: ActiveStudy): void {
    if (this.byId.get(state.id) === state) this.byId.delete(state.id);
    state.settle();
  }

  /** Aborts the study's trials; its run then ends as `cancelled` with `reason`. */
  stop(state: ActiveStudy, ctx: RequestContext, reason: string): void {
    if (state.controller.signal.aborted) return;
    state.stop = { ctx, reason };
    state.controller.abort(
      new CyclopsError('unavailable', `The study was stopped: ${reason}`, { reason: 'cancelled' }),
    );
  }
}
