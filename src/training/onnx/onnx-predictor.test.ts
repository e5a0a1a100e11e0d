import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Predictor } from '../model.entity.js';
import { loadOnnxModel, type OnnxPredictor, toAsyncPredictor } from './index.js';
import { fixturePath, matrix, type ReferenceModel, reference } from './onnx.fixture.js';

const iris = reference.models['iris-mlp.onnx'];
const diabetes = reference.models['diabetes-mlp.onnx'];
const opened: OnnxPredictor[] = [];

async function load(...args: Parameters<typeof loadOnnxModel>): Promise<OnnxPredictor> {
  const model = await loadOnnxModel(...args);
  opened.push(model);
  return model;
}

afterAll(async () => {
  await Promise.all(opened.map((m) => m.close()));
});

/** |actual - expected| <= 1e-5, relative above 1: float32 carries ~7 significant digits. */
function expectClose(actual: Float64Array, expected: readonly number[], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(Math.abs(actual[i]! - e), `value ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(e)),
    );
  });
}

const signatureOf = (m: ReferenceModel) => ({ featureNames: m.featureNames, task: m.task, output: m.output });

describe('ONNX models exported by torch', () => {
  it.each([
    ['iris-mlp.onnx', iris],
    ['diabetes-mlp.onnx', diabetes],
  ] as const)('%s predicts what torch computed, to 1e-5', async (file, ref) => {
    const model = await load(fixturePath(file), signatureOf(ref));
    expect(model.task).toBe(ref.task);
    expect(model.featureNames).toEqual(ref.featureNames);
    expect(model.outputs).toBe(ref.outputs[0]!.length);
    expect([model.inputName, model.outputName]).toEqual([ref.input, ref.output]);
    expectClose(await model.predict(matrix(ref.inputs, ref.featureNames)), ref.outputs.flat());
  });

  it('gives class probabilities that sum to 1 and pick the right classes', async () => {
    const model = await load(fixturePath('iris-mlp.onnx'), signatureOf(iris));
    const out = await model.predict(matrix(iris.inputs, iris.featureNames));
    for (let i = 0; i < iris.inputs.length; i++) {
      const p = out.subarray(i * 3, i * 3 + 3);
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 6);
    }
    // Rows 0, 10, ... 140 of iris.csv: 5 of each class in file order (the last row is made up).
    const argmax = Array.from({ length: 15 }, (_, i) =>
      [0, 1, 2].reduce((a, c) => (out[i * 3 + c]! > out[i * 3 + a]! ? c : a)),
    );
    expect(argmax).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('agrees row by row, batch by batch and all at once', async () => {
    const ref = diabetes;
    const whole = await load(fixturePath('diabetes-mlp.onnx'), signatureOf(ref));
    const batched = await load(fixturePath('diabetes-mlp.onnx'), signatureOf(ref), { batchRows: 5 });
    // 12 copies of the reference rows: 144 rows, batches of 5 leave a partial last one.
    const rows = Array.from({ length: 12 }, () => ref.inputs).flat();
    const x = matrix(rows, ref.featureNames);
    const all = await whole.predict(x);
    expectClose(all, Array.from({ length: 12 }, () => ref.outputs.flat()).flat());
    expectClose(await batched.predict(x), [...all], 1e-6);
    for (let i = 0; i < ref.inputs.length; i++) {
      const one = await whole.predictRow(Float64Array.from(ref.inputs[i]!));
      expectClose(one, [all[i]!], 1e-6);
    }
  });

  it('predicts the same with two intra-op threads', async () => {
    const model = await load(fixturePath('iris-mlp.onnx'), signatureOf(iris), { threads: 2 });
    expectClose(await model.predict(matrix(iris.inputs, iris.featureNames)), iris.outputs.flat());
  });

  it('loads from bytes without a signature: one float input [batch, 4], 3 outputs -> multiclass', async () => {
    const model = await load(readFileSync(fixturePath('iris-mlp.onnx')));
    expect([model.task, model.outputs, model.featureNames]).toEqual([
      'multiclass',
      3,
      ['f0', 'f1', 'f2', 'f3'],
    ]);
    // Without caller-given names only the column count is checked, so the real names pass.
    expectClose(await model.predict(matrix(iris.inputs, iris.featureNames)), iris.outputs.flat());
    const regression = await load(readFileSync(fixturePath('diabetes-mlp.onnx')));
    expect([regression.task, regression.outputs]).toEqual(['regression', 1]);
  });

  it('returns an empty result for an empty matrix', async () => {
    const model = await load(fixturePath('iris-mlp.onnx'), signatureOf(iris));
    expect(await model.predict(matrix([], iris.featureNames))).toEqual(new Float64Array(0));
  });

  it('passes NaN to the model as is: NaN in, NaN out for that row only', async () => {
    const model = await load(fixturePath('iris-mlp.onnx'), signatureOf(iris));
    const rows = iris.inputs.slice(0, 3).map((r) => [...r]);
    rows[1]![2] = Number.NaN;
    const out = await model.predict(matrix(rows, iris.featureNames));
    expect([...out.subarray(3, 6)].every(Number.isNaN)).toBe(true);
    expectClose(out.subarray(0, 3), iris.outputs[0]!);
    expectClose(out.subarray(6, 9), iris.outputs[2]!);
  });
});

describe('model shapes beyond [batch, F] -> [batch, K]', () => {
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  const rows = [
    [0, 0],
    [1, 0],
    [0.5, 2],
    [-3, 1],
  ];

  it('reads a binary model with one sigmoid output as [P(0), P(1)]', async () => {
    const model = await load(fixturePath('sigmoid-binary.onnx'), {
      task: 'binary',
      featureNames: ['a', 'b'],
    });
    expect([model.task, model.outputs]).toEqual(['binary', 2]);
    const expected = rows.flatMap(([a, b]) => {
      const p = sigmoid(1.5 * a! - 2 * b!);
      return [1 - p, p];
    });
    expectClose(await model.predict(matrix(rows, ['a', 'b'])), expected);
    expectClose(await model.predictRow(Float64Array.from([1, 0])), expected.slice(2, 4));
  });

  it('reads one value per row as regression unless the signature says binary', async () => {
    const model = await load(fixturePath('sigmoid-binary.onnx'));
    expect([model.task, model.outputs]).toEqual(['regression', 1]);
  });

  it('feeds a float64 input without rounding to float32', async () => {
    const model = await load(fixturePath('float64-sum.onnx'));
    expect([model.task, model.outputs, model.featureNames]).toEqual(['regression', 1, ['f0', 'f1']]);
    const out = await model.predict(
      matrix(
        [
          [0.1, 0.2],
          [1e300, 1e300],
        ],
        ['a', 'b'],
      ),
    );
    expect([...out]).toEqual([0.1 + 0.2, 2e300]);
    expect([...(await model.predictRow(Float64Array.from([0.1, 0.2])))]).toEqual([0.1 + 0.2]);
  });

  it('takes its feature count from the signature when the model leaves it symbolic', async () => {
    const model = await load(fixturePath('dynamic-features.onnx'), { featureNames: ['x', 'y', 'z'] });
    expect([model.task, model.outputs, model.featureNames]).toEqual(['regression', 1, ['x', 'y', 'z']]);
    const out = await model.predict(
      matrix(
        [
          [1, 2, 3],
          [4, 5, 6.5],
        ],
        ['x', 'y', 'z'],
      ),
    );
    expectClose(out, [6, 15.5]);
  });
});

describe('AsyncPredictor', () => {
  it('wraps a built-in predictor', async () => {
    const doubler: Predictor = {
      task: 'regression',
      featureNames: ['v'],
      outputs: 1,
      predict: (x) => x.values.map((v) => 2 * v),
      predictRow: (row, out) => {
        out[0] = 2 * row[0]!;
      },
    };
    const wrapped = toAsyncPredictor(doubler);
    expect([wrapped.task, wrapped.outputs, wrapped.featureNames]).toEqual(['regression', 1, ['v']]);
    expect(await wrapped.predict(matrix([[1], [2.5]], ['v']))).toEqual(Float64Array.from([2, 5]));
    expect(await wrapped.predictRow(Float64Array.from([4]))).toEqual(Float64Array.from([8]));
  });
});

describe('close', () => {
  it('lets predictions under way finish, then refuses new ones as unavailable', async () => {
    const model = await loadOnnxModel(fixturePath('iris-mlp.onnx'), signatureOf(iris), { batchRows: 2 });
    const x = matrix(iris.inputs, iris.featureNames);
    const running = model.predict(x);
    const closed = model.close();
    expectClose(await running, iris.outputs.flat());
    await closed;
    await expect(model.predict(x)).rejects.toMatchObject({ code: 'unavailable' });
    await expect(model.close()).resolves.toBeUndefined();
  });
});
