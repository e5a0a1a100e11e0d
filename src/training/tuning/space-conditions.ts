import { invalid } from '../../core/index.js';
import type { ParamSpec } from './space.js';
import { fieldOf } from './space-param-parse.js';

/**
 * Checks every `when` against the parameter it names and orders the parameters so each comes after its
 * parent (declaration order otherwise), which lets samplers decide activity in one pass.
 */
export function orderByConditions(params: readonly ParamSpec[]): ParamSpec[] {
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const p of params) {
    if (!p.when) continue;
    const at = (...path: (string | number)[]) => ({ field: fieldOf(p.name, 'when', ...path), param: p.name });
    const parentName = p.when.param;
    const parent = byName.get(parentName);
    if (parentName === p.name)
      throw invalid(`parameter '${p.name}': when.param cannot name itself`, at('param'));
    if (!parent) {
      throw invalid(
        `parameter '${p.name}': when.param '${parentName}' is not a parameter of this space`,
        at('param'),
      );
    }
    if (parent.type !== 'categorical') {
      throw invalid(
        `parameter '${p.name}': when.param '${parentName}' must be a categorical parameter, not ${parent.type}`,
        at('param'),
      );
    }
    p.when.in.forEach((v, i) => {
      if (!parent.choices.includes(v)) {
        throw invalid(
          `parameter '${p.name}': when.in value ${JSON.stringify(v)} is not a choice of '${parentName}'`,
          at('in', i),
        );
      }
    });
  }
  const ordered: ParamSpec[] = [];
  const placed = new Set<string>();
  for (const p of params) {
    // Each parameter has at most one parent, so its ancestors form a chain: walk it, then place it root first.
    const chain: ParamSpec[] = [];
    let current: ParamSpec | undefined = p;
    while (current && !placed.has(current.name)) {
      const seenAt = chain.indexOf(current);
      if (seenAt >= 0) {
        const cycle = [...chain.slice(seenAt), current].map((q) => q.name).join(' -> ');
        throw invalid(`parameters form a cycle through 'when': ${cycle}`, {
          field: fieldOf(current.name, 'when', 'param'),
          param: current.name,
        });
      }
      chain.push(current);
      current = current.when ? byName.get(current.when.param) : undefined;
    }
    for (const q of chain.reverse()) {
      ordered.push(q);
      placed.add(q.name);
    }
  }
  return ordered;
}
