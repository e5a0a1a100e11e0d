import { type CyclopsError, type ErrorDetails, invalid } from '../../core/index.js';
import type { VersionRef } from '../training.entity.js';

export type Raw = Record<string, unknown>;
export type Path = readonly (string | number)[];

export function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value in a message: strings in single quotes ('rocauc'), anything else as JSON. */
export const show = (value: unknown): string =>
  typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));

/** `space.max_depth.low: <message>`, with `details.field` the JSON pointer `/space/max_depth/low`. */
export function configError(path: Path, message: string, details: ErrorDetails = {}): CyclopsError {
  const pointer = path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  return invalid(`${path.length ? `${path.join('.')}: ` : ''}${message}`, { ...details, field: pointer });
}

export function readString(raw: Raw, key: string, required: true): string;
export function readString(raw: Raw, key: string, required: false): string | undefined;
export function readString(raw: Raw, key: string, required: boolean): string | undefined {
  const value = raw[key];
  if (value === undefined) {
    if (required) throw configError([key], 'is required');
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '')
    throw configError([key], `must be a non-empty string, got ${show(value)}`);
  if (value.length > 500) throw configError([key], `must be at most 500 characters, got ${value.length}`);
  return value;
}

export function readEnum<T extends string>(raw: Raw, key: string, values: readonly T[]): T | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw configError([key], `must be one of ${values.join(', ')}, got ${show(value)}`);
  return value as T;
}

export function readInt(
  raw: Raw,
  key: string,
  range: { min: number; max: number },
  fallback?: number,
): number {
  const value = raw[key];
  if (value === undefined) {
    if (fallback === undefined) throw configError([key], 'is required');
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw configError([key], `must be an integer, got ${show(value)}`);
  if (value < range.min || value > range.max)
    throw configError([key], `must be between ${range.min} and ${range.max}, got ${value}`);
  return value;
}

export function readBoolean(raw: Raw, key: string, fallback: boolean): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw configError([key], `must be true or false, got ${show(value)}`);
  return value;
}

export function readStringList(raw: Raw, key: string): string[] | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0)
    throw configError([key], 'must be a non-empty list of column names');
  value.forEach((v: unknown, i) => {
    if (typeof v !== 'string' || v === '')
      throw configError([key, i], `must be a column name, got ${show(v)}`);
  });
  return [...(value as string[])];
}

/** `{ dataset, version? }`, or the shorthand `name` / `name@3`. */
export function readVersionRef(raw: Raw, key: string, required: boolean): VersionRef | undefined {
  const value = raw[key];
  if (value === undefined) {
    if (required)
      throw configError([key], "is required: a dataset version, { dataset: name, version: 3 } or 'name@3'");
    return undefined;
  }
  if (typeof value === 'string') {
    const m = /^(.+?)(?:@(\d+))?$/.exec(value.trim());
    if (!m || value.trim() === '') throw configError([key], `must name a dataset, got ${show(value)}`);
    return m[2] === undefined
      ? { dataset: m[1]! }
      : { dataset: m[1]!, version: checkVersion([key], Number(m[2])) };
  }
  if (!isPlainObject(value))
    throw configError([key], `must be { dataset, version? } or 'name@version', got ${show(value)}`);
  for (const k of Object.keys(value)) {
    if (k !== 'dataset' && k !== 'version')
      throw configError([key, k], 'unknown field (known: dataset, version)');
  }
  const dataset = value.dataset;
  if (dataset === undefined) throw configError([key, 'dataset'], 'is required');
  if (typeof dataset !== 'string' || dataset.trim() === '')
    throw configError([key, 'dataset'], `must be a dataset name, got ${show(dataset)}`);
  if (value.version === undefined) return { dataset };
  return { dataset, version: checkVersion([key, 'version'], value.version) };
}

function checkVersion(path: Path, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw configError(path, `a dataset version is an integer >= 1, got ${show(value)}`);
  return value;
}
