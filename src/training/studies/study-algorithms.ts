import { isCyclopsError } from '../../core/index.js';
import type { ParamSpec as AlgorithmParam } from '../algorithms/params.js';
import { checkParams } from '../algorithms/params.js';
import { ALGORITHMS, type Algorithm, algorithmNamed } from '../algorithms/registry.js';
import type { Task } from '../model.entity.js';
import type { ParamSpec, Params, ParamValue, SearchSpace } from '../tuning/index.js';
import { configError, isPlainObject, type Path, show } from './config-fields.js';

/** The search-space parameter that makes one study compare algorithms. */
export const ALGORITHM_PARAM = 'algorithm';

const KNOWN = ALGORITHMS.map((a) => a.name).join(', ');

function known(name: unknown, path: Path): Algorithm {
  const found = typeof name === 'string' ? ALGORITHMS.find((a) => a.name === name) : undefined;
  const what = path.length === 1 ? '' : 'algorithm ';
  if (!found) throw configError(path, `unknown ${what}${show(name)} (known: ${KNOWN})`);
  return found;
}

/** The algorithms a study trains: the fixed one, or the choices of the space's `algorithm` parameter. */
export function studyAlgorithms(
  fixed: string | undefined,
  space: SearchSpace,
  task: Task | undefined,
): string[] {
  const searched = space.params.find((p) => p.name === ALGORITHM_PARAM);
  let found: { algorithm: Algorithm; path: Path }[];
  if (fixed !== undefined) {
    if (searched) {
      throw configError(
        ['space', ALGORITHM_PARAM],
        `the algorithm is already fixed by 'algorithm: ${fixed}': remove one of the two`,
      );
    }
    found = [{ algorithm: known(fixed, ['algorithm']), path: ['algorithm'] }];
  } else {
    if (!searched) {
      throw configError(
        ['algorithm'],
        `is required (known: ${KNOWN}); or search it with a categorical 'algorithm' parameter in space`,
      );
    }
    const at = ['space', ALGORITHM_PARAM];
    if (searched.type !== 'categorical')
      throw configError(
        [...at, 'type'],
        `must be categorical (choices: algorithm names), got ${searched.type}`,
      );
    if (searched.when) throw configError([...at, 'when'], 'the algorithm parameter cannot be conditional');
    found = searched.choices.map((c, i) => ({
      algorithm: known(c, [...at, 'choices', i]),
      path: [...at, 'choices', i],
    }));
  }
  for (const { algorithm, path } of found) {
    if (task !== undefined && !algorithm.tasks.includes(task)) {
      throw configError(
        path,
        `${algorithm.name} does not do ${task} (it does ${algorithm.tasks.join(', ')}); for ${task} use ${ALGORITHMS.filter(
          (a) => a.tasks.includes(task),
        )
          .map((a) => a.name)
          .join(', ')}`,
      );
    }
  }
  return found.map((f) => f.algorithm.name);
}

/** The algorithms under which `spec` can be active, following its chain of `when` conditions. */
function possibleAlgorithms(
  spec: ParamSpec,
  byName: ReadonlyMap<string, ParamSpec>,
  algorithms: readonly string[],
): readonly string[] {
  if (!spec.when) return algorithms;
  if (spec.when.param === ALGORITHM_PARAM) return algorithms.filter((a) => spec.when?.in.includes(a));
  const parent = byName.get(spec.when.param);
  return parent ? possibleAlgorithms(parent, byName, algorithms) : algorithms;
}

/** Checks one value against an algorithm's hyperparameter (type and range), as training will. */
function checkValue(algorithm: Algorithm, name: string, value: ParamValue, path: Path): void {
  try {
    checkParams(algorithm.title, algorithm.params, { [name]: value });
  } catch (err) {
    if (!isCyclopsError(err)) throw err;
    const problems = err.details.problems as { message: string }[] | undefined;
    const message = problems?.[0]?.message.replace(`${name}: `, '') ?? err.message;
    throw configError(path, `${message} (${name} of ${algorithm.name})`);
  }
}

const paramNames = (a: Algorithm) => a.params.map((p) => p.name).join(', ');

function checkKind(spec: ParamSpec, target: AlgorithmParam, algorithm: string): void {
  if (spec.type === 'categorical') return;
  const path = ['space', spec.name, 'type'];
  if (target.type === 'boolean' || target.type === 'string')
    throw configError(path, `${spec.name} of ${algorithm} is a ${target.type}: search it as categorical`);
  if (target.type === 'integer' && spec.type !== 'int')
    throw configError(path, `${spec.name} of ${algorithm} is an integer: search it as int, not ${spec.type}`);
}

/**
 * Every searched parameter must be a hyperparameter, of the right type and range, of each algorithm it
 * can be active for: otherwise every trial that samples it would fail in training.
 */
export function checkSpaceParams(space: SearchSpace, algorithms: readonly string[]): void {
  const byName = new Map(space.params.map((p) => [p.name, p]));
  for (const spec of space.params) {
    if (spec.name === ALGORITHM_PARAM) continue;
    for (const name of possibleAlgorithms(spec, byName, algorithms)) {
      const algorithm = algorithmNamed(name);
      const target = algorithm.params.find((p) => p.name === spec.name);
      if (!target) {
        const hint =
          algorithms.length > 1
            ? `; to search it for some algorithms only, add when: { param: ${ALGORITHM_PARAM}, in: [...] }`
            : '';
        throw configError(
          ['space', spec.name],
          `not a parameter of ${name} (its parameters: ${paramNames(algorithm)})${hint}`,
        );
      }
      checkKind(spec, target, name);
      if (spec.type === 'categorical') {
        for (const [i, c] of spec.choices.entries())
          checkValue(algorithm, spec.name, c, ['space', spec.name, 'choices', i]);
      } else {
        checkValue(algorithm, spec.name, spec.low, ['space', spec.name, 'low']);
        checkValue(algorithm, spec.name, spec.high, ['space', spec.name, 'high']);
      }
    }
  }
}

const isParamValue = (v: unknown): v is ParamValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** `fixed_params`: each must be a hyperparameter of at least one of the study's algorithms. */
export function readFixedParams(
  raw: unknown,
  space: SearchSpace,
  algorithms: readonly string[],
): Record<string, ParamValue> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) throw configError(['fixed_params'], 'must be a mapping of parameter: value');
  const out: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    const path = ['fixed_params', key];
    if (key === ALGORITHM_PARAM)
      throw configError(path, "set the algorithm with the top-level 'algorithm' field");
    if (space.params.some((p) => p.name === key))
      throw configError(path, 'is also in space: a parameter is either fixed or searched');
    if (!isParamValue(value))
      throw configError(path, `must be a string, a finite number or a boolean, got ${show(value)}`);
    const takers = algorithms.map(algorithmNamed).filter((a) => a.params.some((p) => p.name === key));
    if (takers.length === 0) {
      const lists = algorithms.map((a) => `${a}: ${paramNames(algorithmNamed(a))}`).join('; ');
      throw configError(path, `not a parameter of ${algorithms.join(' or ')} (${lists})`);
    }
    for (const a of takers) checkValue(a, key, value, path);
    out[key] = value;
  }
  return out;
}

/** What a trial trains: its algorithm, and the fixed params that algorithm takes plus the sampled ones. */
export function trialTraining(
  fixedAlgorithm: string | undefined,
  fixedParams: Readonly<Record<string, ParamValue>>,
  sampled: Readonly<Params>,
): { algorithm: string; params: Record<string, ParamValue> } {
  const algorithm = fixedAlgorithm ?? String(sampled[ALGORITHM_PARAM]);
  const takes = new Set(algorithmNamed(algorithm).params.map((p) => p.name));
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of Object.entries(fixedParams)) if (takes.has(k)) params[k] = v;
  for (const [k, v] of Object.entries(sampled)) if (k !== ALGORITHM_PARAM) params[k] = v;
  return { algorithm, params };
}
