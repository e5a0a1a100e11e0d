import type { Params, TrialRecord, TrialState } from '../tuning/index.js';
import type { TuningTrial } from './study.entity.js';

/** A tuning_trials row as Kysely returns it (jsonb parsed, bigint as number). */
export interface TrialRow {
  number: number;
  params: unknown;
  state: TrialState;
  value: number | null;
  intermediate: unknown;
  error: string | null;
  run_id: string | null;
  started_at: number | string;
  ended_at: number | string | null;
}

// jsonb has no NaN or Infinity: those values are written as strings and read back as numbers.
const encode = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const decode = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

export function encodeIntermediate(pairs: readonly (readonly [number, number])[]): string {
  return JSON.stringify(pairs.map(([step, value]) => [step, encode(value)]));
}

export function decodeIntermediate(json: unknown): [number, number][] {
  if (!Array.isArray(json)) return [];
  return json.map((pair) => [Number((pair as unknown[])[0]), decode((pair as unknown[])[1])]);
}

export function toTrial(r: TrialRow): TuningTrial {
  return {
    number: r.number,
    params: r.params as Params,
    state: r.state,
    value: r.value,
    intermediate: decodeIntermediate(r.intermediate),
    error: r.error,
    runId: r.run_id,
    startedAt: Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

/** The engine's view of a stored trial. */
export function toTrialRecord(t: TuningTrial): TrialRecord {
  return {
    number: t.number,
    params: t.params,
    state: t.state,
    ...(t.value !== null ? { value: t.value } : {}),
    intermediate: t.intermediate,
    ...(t.error !== null ? { error: t.error } : {}),
    startedAt: t.startedAt,
    ...(t.endedAt !== null ? { endedAt: t.endedAt } : {}),
  };
}
