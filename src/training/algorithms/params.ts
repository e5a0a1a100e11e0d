import { invalid } from '../../core/index.js';

/**
 * One hyperparameter of a training algorithm, as a CLI or the API lists it and as `checkParams`
 * validates it. `min`/`max` bound numbers and integers (`exclusiveMin` makes the lower bound strict);
 * `values` lists the allowed strings.
 */
export interface ParamSpec {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'string';
  default: number | boolean | string;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  values?: string[];
  description: string;
}

export type ParamValues = Record<string, number | boolean | string>;

/**
 * Validates raw params against `specs` and fills the defaults. Numbers may arrive as numeric strings
 * ('0.5') because the CLI and query strings only carry text. Every problem is reported in one error, so
 * a user fixes them all at once; `algorithm` is the human name used in the messages.
 */
export function checkParams(algorithm: string, specs: readonly ParamSpec[], raw: unknown): ParamValues {
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw invalid(`params of ${algorithm}: must be an object of name: value`, { field: '/params' });
  }
  const given = (raw ?? {}) as Record<string, unknown>;
  const problems: { param: string; message: string }[] = [];
  const known = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const names = specs.map((s) => s.name).join(', ');
      problems.push({ param: name, message: `${name}: not a parameter of ${algorithm} (known: ${names})` });
    }
  }
  const out: ParamValues = {};
  for (const spec of specs) {
    const value = Object.hasOwn(given, spec.name) ? given[spec.name] : undefined;
    if (value === undefined) {
      out[spec.name] = spec.default;
      continue;
    }
    const checked = checkValue(spec, value);
    if (typeof checked === 'string') problems.push({ param: spec.name, message: `${spec.name}: ${checked}` });
    else out[spec.name] = checked.value;
  }
  if (problems.length > 0) {
    throw invalid(problems.map((p) => p.message).join('; '), {
      field: `/params/${problems[0]!.param}`,
      algorithm,
      problems,
    });
  }
  return out;
}

/** The accepted value, or the reason it is refused. */
function checkValue(spec: ParamSpec, value: unknown): { value: number | boolean | string } | string {
  switch (spec.type) {
    case 'number':
    case 'integer':
      return checkNumber(spec, value);
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
        return { value: value.trim().toLowerCase() === 'true' };
      }
      return `must be true or false, got ${show(value)}`;
    case 'string':
      if (typeof value !== 'string') return `must be a string, got ${show(value)}`;
      if (spec.values && !spec.values.includes(value)) {
        return `must be one of ${spec.values.join(', ')}, got ${show(value)}`;
      }
      return { value };
  }
}

function checkNumber(spec: ParamSpec, value: unknown): { value: number } | string {
  const kind = spec.type === 'integer' ? 'an integer' : 'a number';
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value.trim());
  else return `must be ${kind}, got ${show(value)}`;
  if (!Number.isFinite(n)) return `must be ${kind}, got ${show(value)}`;
  if (spec.type === 'integer' && !Number.isInteger(n)) return `must be an integer, got ${show(value)}`;
  if (spec.min !== undefined) {
    if (spec.exclusiveMin ? n <= spec.min : n < spec.min) {
      return `must be ${spec.exclusiveMin ? '>' : '>='} ${spec.min}${rangeEnd(spec)}, got ${show(value)}`;
    }
  }
  if (spec.max !== undefined && n > spec.max) {
    return `must be <= ${spec.max}${spec.min === undefined ? '' : ` and ${spec.exclusiveMin ? '>' : '>='} ${spec.min}`}, got ${show(value)}`;
  }
  return { value: n };
}

const rangeEnd = (spec: ParamSpec) => (spec.max === undefined ? '' : ` and <= ${spec.max}`);

const show = (value: unknown): string =>
  typeof value === 'string'
    ? `'${value}'`
    : typeof value === 'number'
      ? String(value)
      : (JSON.stringify(value) ?? String(value));
