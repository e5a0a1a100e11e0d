/**
 * A search space: the parameters a tuning study varies, parsed from the `space:` mapping of `tune.yaml`
 * by `parseSearchSpace`. Plain data, so a space can be stored and sent as JSON.
 */

export type ParamValue = string | number | boolean;

/** One trial's parameter values. A conditional parameter that is not active is absent, never null. */
export type Params = Record<string, ParamValue>;

/** `when: { param: algo, in: [gbdt] }`: the parameter exists only when `algo` took one of those values. */
export interface Condition {
  readonly param: string;
  readonly in: readonly ParamValue[];
}

interface ParamBase {
  readonly name: string;
  readonly when?: Condition;
}

/** The grid search points of a numeric parameter: explicit values, or `num` evenly spaced ones. */
export interface GridPoints {
  readonly grid?: readonly number[];
  readonly num?: number;
}

export interface UniformParam extends ParamBase, GridPoints {
  readonly type: 'uniform';
  readonly low: number;
  readonly high: number;
}

export interface LogUniformParam extends ParamBase, GridPoints {
  readonly type: 'log_uniform';
  readonly low: number;
  readonly high: number;
}

export interface IntParam extends ParamBase, GridPoints {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly step: number;
  readonly log: boolean;
}

export interface CategoricalParam extends ParamBase {
  readonly type: 'categorical';
  readonly choices: readonly ParamValue[];
}

export type NumericParam = UniformParam | LogUniformParam | IntParam;
export type ParamSpec = NumericParam | CategoricalParam;
export type ParamType = ParamSpec['type'];

export interface SearchSpace {
  /** Every parameter comes after the parameter its `when` names, so one pass can decide activity. */
  readonly params: readonly ParamSpec[];
}

/** Whether `spec` exists given the values already chosen for the parameters before it. */
export function isActive(spec: ParamSpec, params: Readonly<Params>): boolean {
  if (!spec.when) return true;
  if (!Object.hasOwn(params, spec.when.param)) return false;
  return spec.when.in.includes(params[spec.when.param]!);
}

/** Whether `value` is one `spec` can take (a stored trial may come from an edited space). */
export function isValidValue(spec: ParamSpec, value: ParamValue): boolean {
  if (spec.type === 'categorical') return spec.choices.includes(value);
  if (typeof value !== 'number' || !(value >= spec.low && value <= spec.high)) return false;
  if (spec.type !== 'int') return true;
  return Number.isInteger(value) && (value - spec.low) % spec.step === 0;
}
