/**
 * Shared memory between a fit on a worker thread and the service waiting for it: how many iterations are
 * done, a stop flag, and each iteration's train and validation loss (NaN when absent), so the service
 * can show progress and a tuning study can prune a trial while it trains.
 */
export class ProgressBuffer {
  private readonly header: Int32Array;
  private readonly losses: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 2);
    this.losses = new Float64Array(buffer, 8, (buffer.byteLength - 8) / 8);
  }

  /** Room for `iterations` iterations' losses (none kept beyond). */
  static create(iterations: number): ProgressBuffer {
    const buffer = new SharedArrayBuffer(8 + Math.max(0, iterations) * 16);
    const progress = new ProgressBuffer(buffer);
    progress.losses.fill(Number.NaN);
    return progress;
  }

  /** The fit's side: iteration `step` (from 0) is done with these losses. */
  record(step: number, metrics: Record<string, number>): void {
    const at = step * 2;
    if (at + 1 < this.losses.length) {
      this.losses[at] = metrics.train_loss ?? Number.NaN;
      this.losses[at + 1] = metrics.validation_loss ?? Number.NaN;
    }
    // Stored after the losses: a reader that sees the count sees them.
    Atomics.store(this.header, 0, step + 1);
  }

  get done(): number {
    return Atomics.load(this.header, 0);
  }

  /** The losses of iteration `step`, when kept. */
  lossesAt(step: number): { train_loss?: number; validation_loss?: number } {
    const at = step * 2;
    if (at + 1 >= this.losses.length) return {};
    const train = this.losses[at] as number;
    const validation = this.losses[at + 1] as number;
    return {
      ...(Number.isNaN(train) ? {} : { train_loss: train }),
      ...(Number.isNaN(validation) ? {} : { validation_loss: validation }),
    };
  }

  requestStop(): void {
    Atomics.store(this.header, 1, 1);
  }

  get stopRequested(): boolean {
    return Atomics.load(this.header, 1) === 1;
  }
}
