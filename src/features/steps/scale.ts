import { invalid } from '../../core/index.js';
import type { FittedStep, StepConfig } from '../transform.entity.js';
import {
  asDouble,
  byColumn,
  dryInPlace,
  finiteOrNull,
  NUMERIC,
  noValues,
  paramsFor,
  type StepKind,
  stepColumns,
} from './kind.js';

type Config = StepConfig<'scale'>;
type Fitted = FittedStep<'scale'>;

/**
 * (x - center) / scale with scikit-learn's parameters: standard = mean and population standard
 * deviation (StandardScaler, ddof 0), min_max = min and max - min (MinMaxScaler to [0, 1]),
 * robust = median and the 25-75 interquartile range (RobustScaler). A spread of zero scales by 1,
 * as scikit-learn does, so a constant column becomes 0 rather than null.
 */
export const scale: StepKind<Config, Fitted> = {
  plan(step, ctx) {
    const entries = stepColumns(step.columns, ctx, NUMERIC, 'scale');
    const aggregates = entries.flatMap((e) => {
      const x = asDouble(e.slot);
      if (step.method === 'standard') return [`avg(${x})`, `stddev_pop(${x})`];
      if (step.method === 'min_max') return [`min(${x})`, `max(${x})`];
      return [`quantile_cont(${x}, [0.25, 0.5, 0.75])`];
    });
    return {
      aggregates,
      slots: entries.map((e) => e.slot),
      fit: (values) => ({
        ...step,
        fitted: byColumn(entries, (e, i) => {
          const [center, spread] = parameters(step.method, values, i);
          if (center === null) throw noValues(ctx, e.name, i);
          return { center, scale: spread === null || spread === 0 ? 1 : spread };
        }),
      }),
    };
  },

  lower(step, ctx) {
    for (const e of stepColumns(step.columns, ctx, NUMERIC, 'scale')) {
      const p = paramsFor(step.fitted, e.name, ctx.at);
      if (!Number.isFinite(p.center) || !Number.isFinite(p.scale) || p.scale === 0) {
        const field = `${ctx.at}.fitted`;
        throw invalid(`${field}: '${e.name}' needs a finite center and a non-zero scale`, { field });
      }
      const slot = ctx.graph.add({ op: 'affine', x: e.slot, center: p.center, scale: p.scale }, 'float');
      ctx.table.put(e.name, [{ name: e.name, type: 'float', slot }], ctx.at);
    }
  },

  dry(step, ctx) {
    dryInPlace(stepColumns(step.columns, ctx, NUMERIC, 'scale'), ctx, 'float');
  },
};

function parameters(
  method: Config['method'],
  values: readonly unknown[],
  i: number,
): [number | null, number | null] {
  if (method === 'robust') {
    const q = values[i];
    if (!Array.isArray(q)) return [null, null];
    const [q1, median, q3] = q.map(finiteOrNull);
    return [median ?? null, q1 == null || q3 == null ? null : q3 - q1];
  }
  const a = finiteOrNull(values[2 * i]);
  const b = finiteOrNull(values[2 * i + 1]);
  return method === 'standard' ? [a, b] : [a, a === null || b === null ? null : b - a];
}
