import { invalid } from '../../../core/index.js';
import type { LinearFeature } from './feature-encoding.js';

/** Readers for a saved model's JSON, each failing with what is wrong and where. */

export type JsonObject = Record<string, unknown>;

export function modelObject(json: unknown, algorithm: string): JsonObject {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(`${algorithm} model: expected a JSON object`);
  }
  const obj = json as JsonObject;
  if (obj.algorithm !== algorithm) {
    throw invalid(`${algorithm} model: the JSON is of algorithm ${JSON.stringify(obj.algorithm)}`, {
      field: '/algorithm',
    });
  }
  return obj;
}

export function numberArray(value: unknown, length: number, what: string): Float64Array {
  if (
    !Array.isArray(value) ||
    value.length !== length ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw invalid(`${what}: expected ${length} finite numbers`, { field: `/${what}` });
  }
  return Float64Array.from(value as number[]);
}

export function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(`${what}: expected an array of strings`, { field: `/${what}` });
  }
  return [...(value as string[])];
}

export function featureList(value: unknown): LinearFeature[] {
  if (!Array.isArray(value)) throw invalid('features: expected an array', { field: '/features' });
  return value.map((f: unknown, j) => {
    const item = (typeof f === 'object' && f !== null ? f : {}) as JsonObject;
    if (typeof item.name !== 'string') {
      throw invalid(`features/${j}/name: expected a string`, { field: `/features/${j}/name` });
    }
    const categories =
      item.categories === null ? null : stringArray(item.categories, `features/${j}/categories`);
    return { name: item.name, categories };
  });
}

export function numberField(obj: JsonObject, key: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw invalid(`${key}: expected a finite number`, { field: `/${key}` });
  }
  return v;
}
