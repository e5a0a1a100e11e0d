import { invalid } from '../../core/index.js';
import type { Condition, GridPoints, ParamSpec, ParamType, ParamValue } from './space.js';

const FIELDS: Record<ParamType, readonly string[]> = {
  uniform: ['type', 'low', 'high', 'grid', 'num', 'when'],
  log_uniform: ['type', 'low', 'high', 'grid', 'num', 'when'],
  int: ['type', 'low', 'high', 'step', 'log', 'grid', 'num', 'when'],
  categorical: ['type', 'choices', 'when'],
};
const TYPES = Object.keys(FIELDS).join(', ');

type Raw = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON pointer to a field of a parameter, for `details.field`. */
export function fieldOf(name: string, ...path: (string | number)[]): string {
  return `/${[name, ...path].map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

function fail(name: string, message: string, ...path: (string | number)[]): never {
  throw invalid(`parameter '${name}': ${message}`, { field: fieldOf(name, ...path), param: name });
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Checks the fields of one parameter; `when` is only checked for shape here (it needs the whole space). */
export function parseParam(name: string, raw: unknown): ParamSpec {
  if (!isPlainObject(raw)) fail(name, `must be a mapping with a 'type' (one of ${TYPES})`);
  const type = raw.type;
  if (type === undefined) fail(name, `'type' is required (one of ${TYPES})`, 'type');
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) {
    fail(name, `unknown type ${show(type)}; expected one of ${TYPES}`, 'type');
  }
  const kind = type as ParamType;
  for (const key of Object.keys(raw)) {
    if (!FIELDS[kind].includes(key)) fail(name, `unknown field '${key}' for type ${kind}`, key);
  }
  const when = raw.when === undefined ? {} : { when: parseWhen(name, raw.when) };
  if (kind === 'categorical') {
    return { name, type: kind, choices: parseChoices(name, raw.choices), ...when };
  }
  const low = readNumber(name, raw, 'low', kind === 'int');
  const high = readNumber(name, raw, 'high', kind === 'int');
  if (!(low < high)) fail(name, `low (${low}) must be less than high (${high})`, 'low');
  if (kind !== 'int') {
    if (kind === 'log_uniform' && low <= 0)
      fail(name, `low must be > 0 for a log_uniform parameter, got ${low}`, 'low');
    return { name, type: kind, low, high, ...parseGrid(name, raw, low, high, 1, false), ...when };
  }
  const step = raw.step === undefined ? 1 : readNumber(name, raw, 'step', true);
  if (step < 1) fail(name, `step must be a positive integer, got ${step}`, 'step');
  if (raw.log !== undefined && typeof raw.log !== 'boolean') fail(name, 'log must be true or false', 'log');
  const log = raw.log === true;
  if (log && low < 1) fail(name, `low must be >= 1 when log is true, got ${low}`, 'low');
  if (log && step !== 1) fail(name, `step must be 1 when log is true, got ${step}`, 'step');
  if ((high - low) % step !== 0)
    fail(name, `high - low (${high - low}) must be a multiple of step (${step})`, 'high');
  return { name, type: kind, low, high, step, log, ...parseGrid(name, raw, low, high, step, true), ...when };
}

function readNumber(name: string, raw: Raw, field: string, integer: boolean): number {
  const value = raw[field];
  if (value === undefined) fail(name, `'${field}' is required`, field);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(name, `'${field}' must be a finite number, got ${show(value)}`, field);
  }
  if (integer && !Number.isInteger(value)) fail(name, `'${field}' must be an integer, got ${value}`, field);
  return value;
}

function parseGrid(
  name: string,
  raw: Raw,
  low: number,
  high: number,
  step: number,
  integer: boolean,
): GridPoints {
  if (raw.grid !== undefined && raw.num !== undefined)
    fail(name, "give either 'grid' or 'num', not both", 'grid');
  if (raw.num !== undefined) {
    const num = readNumber(name, raw, 'num', true);
    if (num < 2) fail(name, `num must be at least 2 (the grid includes low and high), got ${num}`, 'num');
    return { num };
  }
  if (raw.grid === undefined) return {};
  if (!Array.isArray(raw.grid) || raw.grid.length === 0)
    fail(name, 'grid must be a non-empty list of numbers', 'grid');
  const seen = new Set<number>();
  raw.grid.forEach((v: unknown, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail(name, `grid value ${show(v)} is not a number`, 'grid', i);
    if (v < low || v > high) fail(name, `grid value ${v} is outside [${low}, ${high}]`, 'grid', i);
    if (integer && (!Number.isInteger(v) || (v - low) % step !== 0)) {
      fail(name, `grid value ${v} is not low + a multiple of step`, 'grid', i);
    }
    if (seen.has(v)) fail(name, `grid value ${v} is repeated`, 'grid', i);
    seen.add(v);
  });
  return { grid: [...(raw.grid as number[])] };
}

function isParamValue(v: unknown): v is ParamValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function parseChoices(name: string, raw: unknown): ParamValue[] {
  if (raw === undefined) fail(name, "'choices' is required", 'choices');
  if (!Array.isArray(raw) || raw.length === 0) fail(name, 'choices must be a non-empty list', 'choices');
  const seen = new Set<ParamValue>();
  raw.forEach((v: unknown, i) => {
    if (!isParamValue(v))
      fail(name, `choice ${show(v)} must be a string, a finite number or a boolean`, 'choices', i);
    if (seen.has(v)) fail(name, `choice ${show(v)} is repeated`, 'choices', i);
    seen.add(v);
  });
  return [...(raw as ParamValue[])];
}

function parseWhen(name: string, raw: unknown): Condition {
  if (!isPlainObject(raw)) fail(name, 'when must be a mapping { param, in: [values] }', 'when');
  for (const key of Object.keys(raw)) {
    if (key !== 'param' && key !== 'in') fail(name, `unknown field '${key}' in when`, 'when', key);
  }
  if (typeof raw.param !== 'string' || raw.param === '')
    fail(name, 'when.param must name a parameter', 'when', 'param');
  if (!Array.isArray(raw.in) || raw.in.length === 0)
    fail(name, 'when.in must be a non-empty list of values', 'when', 'in');
  raw.in.forEach((v: unknown, i) => {
    if (!isParamValue(v))
      fail(name, `when.in value ${show(v)} must be a string, number or boolean`, 'when', 'in', i);
  });
  return { param: raw.param, in: [...(raw.in as ParamValue[])] };
}
