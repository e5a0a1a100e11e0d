import { CyclopsError, type RequestContext } from '../core/index.js';
import type { Db, Tx } from '../store/index.js';
import { emptyColumns, type MetricColumns, RunRepository } from './run.repository.js';
import { comparePoints } from './validation.js';

export interface PreparedPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

interface Pending {
  ctx: RequestContext;
  runId: string;
  points: PreparedPoint[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface MetricWriterOptions {
  /** Transactions in flight at once (PGlite has one connection: 1; a Postgres pool can take more). */
  concurrency: number;
  /** Points per group transaction; bigger groups amortize commit cost but delay the first reply. */
  maxPointsPerCommit: number;
}

/**
 * Group commit for metric points. Requests that arrive while a commit is in flight wait and are
 * written together in the next transaction: each caller is answered only after the commit holding its
 * points is durable, so an acknowledged point is never lost, and many small requests cost one commit.
 * A group that fails is retried request by request, so one bad request cannot fail its neighbours.
 */
export class MetricWriter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly repo = new RunRepository();

  constructor(
    private readonly db: Db,
    private readonly options: MetricWriterOptions,
  ) {}

  write(ctx: RequestContext, runId: string, points: PreparedPoint[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ctx, runId, points, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Starts the next commit from setImmediate, not right away. PGlite executes synchronously and its
   * promises resolve at once, so a commit started inline would run to its end before the event loop
   * reads the other sockets: every group would hold one request. From the check phase, every request
   * that arrived in this loop turn has joined the queue first.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      this.commitGroup(group)
        .catch(() => undefined)
        .finally(() => {
          this.inFlight--;
          if (this.queue.length > 0) this.schedule();
        });
    }
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let points = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (group.length > 0 && points + next.points.length > this.options.maxPointsPerCommit) break;
      group.push(next);
      points += next.points.length;
      this.queue.shift();
    }
    return group;
  }

  private async commitGroup(group: Pending[]): Promise<void> {
    const states = await this.repo.statesOf(this.db, [...new Set(group.map((p) => p.runId))]).catch((err) => {
      for (const p of group) p.reject(err);
      return undefined;
    });
    if (!states) return;
    const live: Pending[] = [];
    for (const p of group) {
      const state = states.get(p.runId);
      if (!state || state.projectId !== p.ctx.projectId) {
        p.reject(
          new CyclopsError('not_found', `Run '${p.runId}' does not exist`, { entity: 'Run', id: p.runId }),
        );
      } else if (state.stage !== 'active') {
        p.reject(
          new CyclopsError(
            'invalid_argument',
            `Run '${p.runId}' is deleted: restore it before logging to it`,
            {
              field: 'run_id',
            },
          ),
        );
      } else live.push(p);
    }
    if (live.length === 0) return;
    try {
      await this.insert(live);
      for (const p of live) p.resolve();
    } catch (err) {
      if (live.length === 1) {
        live[0]!.reject(err);
        return;
      }
      for (const p of live) {
        await this.insert([p]).then(p.resolve, p.reject);
      }
    }
  }

  private async insert(group: Pending[]): Promise<void> {
    await this.db.transaction().execute((trx) =>
      writePoints(
        trx,
        this.repo,
        group.map((p) => ({ runId: p.runId, projectId: p.ctx.projectId, points: p.points })),
      ),
    );
  }
}

export interface RunPoints {
  runId: string;
  projectId: string;
  points: PreparedPoint[];
}

/**
 * Writes points of one or more runs inside the caller's transaction: all of them to the history, and
 * per (run, key) the greatest one as a candidate for the latest value, sorted so that concurrent
 * writers lock latest_metrics rows in one order and cannot deadlock.
 */
export async function writePoints(trx: Tx, repo: RunRepository, batches: RunPoints[]): Promise<void> {
  const all = emptyColumns();
  const latest = new Map<string, { runId: string; projectId: string; point: PreparedPoint }>();
  for (const { runId, projectId, points } of batches) {
    for (const point of points) {
      pushPoint(all, runId, projectId, point);
      const id = `${runId}\u0000${point.key}`;
      const prior = latest.get(id);
      if (!prior || comparePoints(point, prior.point) > 0) latest.set(id, { runId, projectId, point });
    }
  }
  const latestCols = emptyColumns();
  for (const id of [...latest.keys()].sort()) {
    const l = latest.get(id)!;
    pushPoint(latestCols, l.runId, l.projectId, l.point);
  }
  await repo.insertMetrics(trx, all);
  await repo.upsertLatest(trx, latestCols);
}

function pushPoint(cols: MetricColumns, runId: string, projectId: string, p: PreparedPoint): void {
  cols.runIds.push(runId);
  cols.projectIds.push(projectId);
  cols.keys.push(p.key);
  cols.values.push(p.value);
  cols.timestamps.push(p.timestamp);
  cols.steps.push(p.step);
}
