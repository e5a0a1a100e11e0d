import { invalid, isCyclopsError } from '../../core/index.js';
import { parseTransformConfig } from '../../features/index.js';
import { algorithmNamed } from '../algorithms/registry.js';
import type { Task } from '../model.entity.js';
import { gridSampler, parseSearchSpace, type SearchSpace } from '../tuning/index.js';
import {
  configError,
  isPlainObject,
  type Raw,
  readBoolean,
  readEnum,
  readInt,
  readString,
  readStringList,
  readVersionRef,
  show,
} from './config-fields.js';
import type { ResolvedStudyConfig, StudyPrunerName, StudySamplerName } from './study.entity.js';
import { checkSpaceParams, readFixedParams, studyAlgorithms } from './study-algorithms.js';
import { STUDY_METRICS } from './study-metrics.js';

export const MAX_TRIALS = 10_000;
export const MAX_CONCURRENCY = 8;
const MAX_SEED = 2 ** 31 - 1;

const FIELDS = [
  'name',
  'train',
  'validation',
  'test',
  'target',
  'task',
  'algorithm',
  'fixed_params',
  'space',
  'metric',
  'direction',
  'sampler',
  'n_trials',
  'concurrency',
  'seed',
  'pruner',
  'experiment',
  'transform',
  'features',
  'permutation_importance',
] as const;
const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];
const SAMPLERS: readonly StudySamplerName[] = ['tpe', 'random', 'grid'];

/** JSON pointer `/max_depth/low` (a space error's field) -> path segments. */
const pointerPath = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));

function readSpace(raw: Raw): SearchSpace {
  if (raw.space === undefined) throw configError(['space'], 'is required: the parameters to search');
  try {
    return parseSearchSpace(raw.space);
  } catch (err) {
    if (!isCyclopsError(err)) throw err;
    const field = typeof err.details.field === 'string' ? err.details.field : '';
    const message = err.message.replace(/^parameter '[^']*': /, '');
    throw configError(['space', ...pointerPath(field)], message);
  }
}

function readMetric(raw: Raw, tasks: ReadonlySet<Task>): string {
  const metric = readString(raw, 'metric', true);
  const known = STUDY_METRICS.get(metric);
  if (!known)
    throw configError(['metric'], `unknown ${show(metric)} (known: ${[...STUDY_METRICS.keys()].join(', ')})`);
  if (!known.tasks.some((t) => tasks.has(t))) {
    const fitting = [...STUDY_METRICS].filter(([, m]) => m.tasks.some((t) => tasks.has(t))).map(([k]) => k);
    throw configError(
      ['metric'],
      `${metric} is not computed for ${[...tasks].join(' or ')} (use one of: ${fitting.join(', ')})`,
    );
  }
  return metric;
}

function readPruner(raw: Raw): StudyPrunerName {
  const pruner = raw.pruner;
  if (pruner === undefined) return 'none';
  if (pruner === 'none' || pruner === 'median' || pruner === 'successive_halving') return pruner;
  throw configError(['pruner'], `must be one of none, median, successive_halving, got ${show(pruner)}`);
}

function readTransform(raw: Raw): unknown {
  if (raw.transform === undefined) return undefined;
  try {
    parseTransformConfig(raw.transform);
  } catch (err) {
    if (!isCyclopsError(err)) throw err;
    const inner = err.details.field;
    // The transform's own errors start with their field (`steps[0].type: ...`): keep it, under transform.
    if (typeof inner === 'string' && inner !== '' && err.message.startsWith(`${inner}:`))
      throw invalid(`transform.${err.message}`, { field: '/transform', transformField: inner });
    throw configError(['transform'], err.message);
  }
  return raw.transform;
}

/**
 * Checks a study config (tune.yaml, already read from YAML or JSON) and fills its defaults. Every problem
 * is a CyclopsError `invalid_argument` whose message starts with the field (`space.max_depth.low: ...`)
 * and whose `details.field` is its JSON pointer.
 */
export function parseStudyConfig(raw: unknown): ResolvedStudyConfig {
  if (!isPlainObject(raw)) throw configError([], 'a study config must be a mapping (see tune.yaml)');
  for (const key of Object.keys(raw)) {
    if (!(FIELDS as readonly string[]).includes(key))
      throw configError([key], `unknown field (known: ${FIELDS.join(', ')})`);
  }
  const name = readString(raw, 'name', true);
  if (name.length > 200) throw configError(['name'], `must be at most 200 characters, got ${name.length}`);
  const train = readVersionRef(raw, 'train', true)!;
  const validation = readVersionRef(raw, 'validation', false);
  const test = readVersionRef(raw, 'test', false);
  const target = readString(raw, 'target', true);
  const task = readEnum(raw, 'task', TASKS);
  const algorithm = readString(raw, 'algorithm', false);
  const space = readSpace(raw);
  const algorithms = studyAlgorithms(algorithm, space, task);
  checkSpaceParams(space, algorithms);
  const fixedParams = readFixedParams(raw.fixed_params, space, algorithms);
  const tasks = new Set<Task>(task ? [task] : algorithms.flatMap((a) => algorithmNamed(a).tasks));
  const metric = readMetric(raw, tasks);
  const direction =
    readEnum(raw, 'direction', ['maximize', 'minimize']) ?? STUDY_METRICS.get(metric)!.direction;
  const sampler = readEnum(raw, 'sampler', SAMPLERS) ?? 'tpe';
  if (sampler === 'grid') {
    try {
      gridSampler().capacity?.(space);
    } catch (err) {
      if (!isCyclopsError(err)) throw err;
      throw configError(['space', ...pointerPath(String(err.details.field ?? ''))], err.message);
    }
  }
  const nTrials = readInt(raw, 'n_trials', { min: 1, max: MAX_TRIALS });
  const concurrency = readInt(raw, 'concurrency', { min: 1, max: MAX_CONCURRENCY }, 1);
  const seed = readInt(raw, 'seed', { min: 0, max: MAX_SEED }, 0);
  const pruner = readPruner(raw);
  const experiment = readString(raw, 'experiment', false);
  const transform = readTransform(raw);
  const features = readStringList(raw, 'features');
  const permutationImportance = readBoolean(raw, 'permutation_importance', false);
  return {
    name,
    train,
    ...(validation ? { validation } : {}),
    ...(test ? { test } : {}),
    target,
    ...(task ? { task } : {}),
    ...(algorithm !== undefined ? { algorithm } : {}),
    algorithms,
    fixedParams,
    space,
    metric,
    direction,
    sampler,
    nTrials,
    concurrency,
    seed,
    pruner,
    ...(experiment !== undefined ? { experiment } : {}),
    ...(transform !== undefined ? { transform } : {}),
    ...(features ? { features } : {}),
    permutationImportance,
  };
}
