/**
 * A one-line progress bar on stderr for long CLI work (training, tuning), drawn only when a person
 * watches (a TTY, and the command's stderr not captured), and cleared at the end.
 */
export class ProgressLine {
  private shown = false;
  private readonly started = Date.now();

  constructor(private readonly enabled: boolean) {}

  /** `done` of `total` (null: unknown), and a short text after the bar. */
  update(label: string, done: number, total: number | null, detail = ''): void {
    if (!this.enabled) return;
    const seconds = ((Date.now() - this.started) / 1000).toFixed(0);
    let bar = '';
    if (total && total > 0) {
      const width = 24;
      const filled = Math.min(width, Math.round((done / total) * width));
      bar = ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
    } else if (done > 0) bar = ` ${done}`;
    const line = `${label}${bar} ${seconds}s${detail ? ` ${detail}` : ''}`;
    process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 100) - 1)}\x1b[K`);
    this.shown = true;
  }

  end(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
