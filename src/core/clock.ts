/** Time source, injectable so tests can pin it. Milliseconds since the epoch, as MLflow stores them. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
