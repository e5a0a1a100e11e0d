import { invalid } from '../../../core/index.js';
import type { Task } from '../../model.entity.js';
import { type FlatTrees, flatTreesFromJSON } from './ensemble.js';

/** The features a tree model was fitted on: names in order, and the categories of categorical ones. */
export interface ModelFeatures {
  names: readonly string[];
  categories: readonly (readonly string[] | null)[];
}

export function modelFeaturesToJSON(features: ModelFeatures): Record<string, unknown> {
  return {
    featureNames: [...features.names],
    categories: features.categories.map((c) => (c ? [...c] : null)),
  };
}

export function modelFeaturesFromJSON(json: Record<string, unknown>): ModelFeatures {
  const names = json.featureNames;
  const categories = json.categories;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw invalid('model: featureNames must be an array of strings', { field: 'featureNames' });
  }
  if (!Array.isArray(categories) || categories.length !== names.length) {
    throw invalid('model: categories must have one entry (null or a list) per feature', {
      field: 'categories',
    });
  }
  return {
    names,
    categories: categories.map((c) => (Array.isArray(c) ? c.map(String) : null)),
  };
}

/** Per feature, the total gain of the splits on it, normalized to sum to 1 (all 0 for a model of stumps). */
export function featureImportanceByGain(trees: FlatTrees, features: number): Float64Array {
  const out = new Float64Array(features);
  for (let node = 0; node < trees.feature.length; node++) {
    const f = trees.feature[node] as number;
    if (f >= 0) out[f] = (out[f] as number) + (trees.gain[node] as number);
  }
  const total = out.reduce((a, b) => a + b, 0);
  if (total > 0) for (let f = 0; f < features; f++) out[f] = (out[f] as number) / total;
  return out;
}

/** What every stored tree model has: format, task, features, classes, params and trees, checked. */
export function treeModelFromJSON(
  json: Record<string, unknown>,
  format: string,
): {
  task: Task;
  features: ModelFeatures;
  classes: string[] | null;
  trees: FlatTrees;
  params: Record<string, unknown>;
} {
  if (json.format !== format) {
    throw invalid(`model: expected format '${format}', got '${String(json.format)}'`, { field: 'format' });
  }
  const task = json.task as Task;
  if (task !== 'regression' && task !== 'binary' && task !== 'multiclass') {
    throw invalid(`model: unknown task '${String(json.task)}'`, { field: 'task' });
  }
  const features = modelFeaturesFromJSON(json);
  return {
    task,
    features,
    classes: Array.isArray(json.classes) ? json.classes.map(String) : null,
    trees: flatTreesFromJSON((json.trees ?? {}) as Record<string, unknown>, features.names.length),
    params: (json.params ?? {}) as Record<string, unknown>,
  };
}
