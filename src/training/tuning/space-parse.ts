import { invalid } from '../../core/index.js';
import type { ParamSpec, SearchSpace } from './space.js';
import { orderByConditions } from './space-conditions.js';
import { fieldOf, isPlainObject, parseParam } from './space-param-parse.js';

/** Starts with a letter, so `__proto__` and friends can never become a key of `Params`. */
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

/**
 * Parses the `space:` mapping of `tune.yaml` (already read from YAML or JSON), e.g.
 *
 *     learning_rate: { type: log_uniform, low: 0.01, high: 0.3 }
 *     max_leaves: { type: int, low: 8, high: 64, step: 8 }
 *     algo: { type: categorical, choices: [gbdt, rf] }
 *     max_depth: { type: int, low: 2, high: 8, when: { param: algo, in: [gbdt] } }
 *
 * Every problem is a CyclopsError `invalid_argument` naming the parameter, with `details.field` a JSON
 * pointer to the offending field (`/max_depth/when/param`).
 */
export function parseSearchSpace(raw: unknown): SearchSpace {
  if (!isPlainObject(raw)) {
    throw invalid('a search space must be a mapping from parameter names to parameter definitions', {
      field: '',
    });
  }
  const names = Object.keys(raw);
  if (names.length === 0) throw invalid('the search space has no parameters', { field: '' });
  const params: ParamSpec[] = [];
  for (const name of names) {
    if (!NAME.test(name)) {
      throw invalid(
        `parameter name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, '_', '.' or '-' (at most 100)`,
        { field: fieldOf(name), param: name },
      );
    }
    params.push(parseParam(name, raw[name]));
  }
  return { params: orderByConditions(params) };
}
