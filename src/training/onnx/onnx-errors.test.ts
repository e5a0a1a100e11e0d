import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import { loadOnnxModel, type OnnxPredictor } from './index.js';
import { fixturePath, matrix, reference } from './onnx.fixture.js';

const iris = reference.models['iris-mlp.onnx'];
const irisBytes = readFileSync(fixturePath('iris-mlp.onnx'));

/** The CyclopsError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<CyclopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  return err as CyclopsError;
}

describe('files that are not ONNX models', () => {
  it('refuses random bytes with onnxruntime reason', async () => {
    // A fixed xorshift stream: the same "random" file every run.
    let s = 0x9e3779b9;
    const bytes = Uint8Array.from({ length: 4096 }, () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return s & 0xff;
    });
    const err = await failure(loadOnnxModel(bytes));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(
      /^the 4096-byte model is not a valid ONNX model .*: .*protobuf parsing failed/,
    );
    expect(err.details.reason).toMatch(/protobuf/);
  });

  it('refuses a truncated model', async () => {
    const err = await failure(loadOnnxModel(irisBytes.subarray(0, irisBytes.length >> 1)));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain('is not a valid ONNX model');
    expect(err.details.reason).toEqual(expect.any(String));
  });

  it('refuses an empty file', async () => {
    const err = await failure(loadOnnxModel(new Uint8Array(0)));
    expect([err.code, err.message]).toEqual([
      'invalid_argument',
      'the 0-byte model is not a valid ONNX model: it is empty',
    ]);
  });

  it('names a missing file as not found', async () => {
    const err = await failure(loadOnnxModel(fixturePath('no-such-model.onnx')));
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('no-such-model.onnx');
  });
});

describe('models that do not fit the signature', () => {
  it('names expected and actual feature counts', async () => {
    const err = await failure(loadOnnxModel(irisBytes, { featureNames: [...iris.featureNames, 'extra'] }));
    expect(err.message).toBe(
      "the signature names 5 features; ONNX model input 'input' takes 4 (shape [batch, 4])",
    );
    expect(err.details).toMatchObject({ expected: 5, actual: 4 });
  });

  it('refuses a model with more than one input', async () => {
    const err = await failure(loadOnnxModel(fixturePath('two-inputs.onnx')));
    expect(err.message).toMatch(/^the ONNX model has 2 inputs \(a, b\); CyclOps feeds exactly one/);
  });

  it('refuses an input that is not float', async () => {
    const err = await failure(loadOnnxModel(fixturePath('int64-input.onnx')));
    expect(err.message).toMatch(/^ONNX model input 'codes' is int64; expected float32 or float64/);
    expect(err.details).toMatchObject({ actual: 'int64' });
  });

  it('names the outputs the model has when the signature names another', async () => {
    const err = await failure(loadOnnxModel(irisBytes, { output: 'scores' }));
    expect(err.message).toBe("the ONNX model has no output 'scores'; its outputs: probabilities");
  });

  it('refuses a fixed batch size, saying how to export a dynamic one', async () => {
    const err = await failure(loadOnnxModel(fixturePath('fixed-batch.onnx')));
    expect(err.message).toContain("input 'x' has a fixed batch size of 1 (shape [1, 3])");
    expect(err.message).toContain('dynamic_axes');
  });

  it('asks for feature names when the model leaves the feature count symbolic', async () => {
    const err = await failure(loadOnnxModel(fixturePath('dynamic-features.onnx')));
    expect(err.message).toBe(
      "ONNX model input 'x' has no fixed feature count (shape [batch, features]); give the feature names in the signature",
    );
  });

  it('refuses at load a model that loads but cannot run on [rows, features]', async () => {
    const err = await failure(
      loadOnnxModel(fixturePath('symbolic-matmul.onnx'), { featureNames: ['a', 'b', 'c'] }),
    );
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(
      /^the ONNX model does not run on \[2, 3\] rows of zeros: the ONNX model failed to run: /,
    );
    // The same graph with the feature count its weights fit runs.
    const ok = await loadOnnxModel(fixturePath('symbolic-matmul.onnx'), { featureNames: ['a', 'b'] });
    await ok.close();
  });

  it('refuses a model whose output is not one row per input row', async () => {
    const err = await failure(loadOnnxModel(fixturePath('whole-batch-sum.onnx')));
    expect(err.message).toBe(
      "the ONNX model does not run on [2, 3] rows of zeros: ONNX model output 'y' is float32 [1, 1] for 2 rows; expected float [2, values]",
    );
  });

  it('refuses a task the output width contradicts', async () => {
    const err = await failure(loadOnnxModel(fixturePath('diabetes-mlp.onnx'), { task: 'multiclass' }));
    expect(err.message).toBe(
      "ONNX model output 'prediction' has 1 value per row; a multiclass model gives at least 2",
    );
    const binary = await failure(loadOnnxModel(irisBytes, { task: 'binary' }));
    expect(binary.message).toBe(
      "ONNX model output 'probabilities' has 3 values per row; a binary model gives 1 or 2",
    );
  });

  it('refuses duplicate or missing feature names and bad options', async () => {
    const twice = await failure(
      loadOnnxModel(fixturePath('dynamic-features.onnx'), { featureNames: ['a', 'a'] }),
    );
    expect(twice.message).toBe("the signature names feature 'a' twice");
    const none = await failure(loadOnnxModel(fixturePath('dynamic-features.onnx'), { featureNames: [] }));
    expect(none.message).toBe('the signature names no features');
    const batch = await failure(loadOnnxModel(irisBytes, {}, { batchRows: 0 }));
    expect(batch.message).toBe('batchRows must be a positive integer, not 0');
  });
});

describe('inputs that do not fit the model', () => {
  const opened: OnnxPredictor[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((m) => m.close()));
  });
  const load = async (named: boolean) => {
    const model = await loadOnnxModel(irisBytes, named ? { featureNames: iris.featureNames } : {});
    opened.push(model);
    return model;
  };

  it('refuses a matrix with the wrong column count and a row of the wrong length', async () => {
    const model = await load(false);
    const err = await failure(model.predict(matrix([[1, 2, 3]], ['a', 'b', 'c'])));
    expect(err.message).toBe('the matrix has 3 columns; the ONNX model takes 4 features');
    const row = await failure(model.predictRow(Float64Array.from([1, 2, 3, 4, 5])));
    expect(row.message).toBe('the row has 5 values; the ONNX model takes 4 features');
  });

  it('checks column names against the names the caller gave', async () => {
    const model = await load(true);
    const swapped = [iris.featureNames[1]!, iris.featureNames[0]!, ...iris.featureNames.slice(2)];
    const err = await failure(model.predict(matrix(iris.inputs, swapped)));
    expect(err.message).toBe(
      "column 0 of the matrix is 'sepal_width'; the ONNX model expects 'sepal_length' there",
    );
  });
});
