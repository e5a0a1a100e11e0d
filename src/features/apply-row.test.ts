import { describe, expect, it } from 'vitest';
import { withSession } from '../columnar/index.js';
import { compileRowTransform, fitTransforms, requiredInputs, transformSql } from './index.js';

async function fitted() {
  return withSession(async (session) => {
    await session.run(`CREATE TABLE t AS SELECT * FROM (VALUES
      (1.5, 'a', true, DATE '2024-01-01', 'x1', 10),
      (2.5, 'b', false, DATE '2024-06-30', 'x2', NULL),
      (NULL, NULL, NULL, NULL, 'x3', 30)) v("x", "s", "b", "d", "__proto__", "unused")`);
    return fitTransforms(session, 't', {
      steps: [
        { type: 'drop', columns: ['unused'] },
        { type: 'scale', columns: ['x'], method: 'min_max' },
        { type: 'expression', name: 'big', expression: 'x > 0.5' },
        { type: 'one_hot', columns: ['s'] },
        { type: 'date_parts', columns: ['d'], parts: ['month'], keep: true },
      ],
    });
  });
}

describe('compileRowTransform', async () => {
  const spec = await fitted();
  const transform = compileRowTransform(spec);
  // A column named __proto__ must be an own key: JSON.parse makes one (an object literal would not).
  const json = (fields: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(fields).replace('"proto"', '"__proto__"')) as Record<string, unknown>;
  const row = json({ x: 2.5, s: 'b', b: false, d: '2024-06-30', proto: 'x2' });

  it('needs only the inputs some output depends on', () => {
    expect(transform.inputs.map((c) => c.name)).toEqual(['x', 's', 'b', 'd', '__proto__']);
    expect(requiredInputs(spec)).toEqual(transform.inputs);
    expect(spec.inputs.map((c) => c.name)).toContain('unused');
    expect(transformSql(spec, 't')).not.toContain('"unused"');
  });

  it('returns typed values: numbers, booleans, strings, dates as given', () => {
    expect(Object.hasOwn(row, '__proto__')).toBe(true);
    const result = transform.apply(row);
    expect(result).toEqual(
      json({ x: 1, s_a: 0, s_b: 1, b: false, d: '2024-06-30', d_month: 6, proto: 'x2', big: true }),
    );
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(Object.keys(result)).toEqual(transform.outputs.map((o) => o.name));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(transform.apply(json({ x: null, s: null, b: null, d: null, proto: null }))).toMatchObject({
      x: null,
      s_a: 0,
      b: null,
      d: null,
      d_month: null,
      big: null,
    });
  });

  it('writes numeric outputs into a Float64Array in spec order, null as NaN', () => {
    expect(transform.numericOutputs.map((c) => c.name)).toEqual(['x', 's_a', 's_b', 'b', 'd_month', 'big']);
    const out = new Float64Array(8).fill(-1);
    transform.applyInto(json({ ...row, x: null, b: true, proto: 'x2' }), out, 1);
    expect([...out]).toEqual([-1, Number.NaN, 0, 1, 1, 6, Number.NaN, -1]);
    expect(() => transform.applyInto(row, new Float64Array(5))).toThrow(RangeError);
  });

  it('gives every row its own output object', () => {
    const a = transform.apply(row);
    const b = transform.apply(json({ ...row, s: 'a', proto: 'x2' }));
    expect([a.s_b, b.s_b]).toEqual([1, 0]);
  });
});
