import type { InferenceSession } from 'onnxruntime-node';
import { invalid } from '../../core/index.js';
import type { Task } from '../model.entity.js';

/**
 * What the caller knows about an ONNX model that the file can't say. ONNX names tensors, not feature
 * columns, and doesn't tell class probabilities from other numbers.
 */
export interface OnnxSignature {
  /**
   * The features in the order of the input tensor's columns. Required when the model's feature axis is
   * symbolic. When given, `predict` checks a matrix's column names against them (the guard against a
   * column-order skew); without them the names are `f0`, `f1`... and only the column count is checked.
   */
  featureNames?: readonly string[];
  /**
   * Default: 1 value per row is `regression`, 2 `binary`, more `multiclass`. A binary model with one
   * output per row (a sigmoid) needs `binary` here: its value is read as the positive class's probability.
   */
  task?: Task;
  /** The output holding the values or class probabilities; required when the model has several. */
  output?: string;
}

/** The model's feature input, checked against the signature. */
export interface InputLayout {
  name: string;
  type: 'float32' | 'float64';
  featureNames: readonly string[];
  /** True when the caller named the features, so their names are worth checking. */
  named: boolean;
}

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass'];

type Metadata = readonly InferenceSession.ValueMetadata[];

const showShape = (shape: readonly (number | string)[]): string => `[${shape.join(', ')}]`;

export function resolveInput(inputs: Metadata, signature: OnnxSignature): InputLayout {
  if (inputs.length !== 1) {
    const names = inputs.map((m) => m.name);
    throw invalid(
      `the ONNX model has ${inputs.length} inputs (${names.join(', ')}); CyclOps feeds exactly one, a float tensor [rows, features]`,
      { expected: 1, actual: names },
    );
  }
  const input = inputs[0]!;
  if (!input.isTensor) {
    throw invalid(
      `ONNX model input '${input.name}' is not a tensor; expected a float tensor [rows, features]`,
      {
        input: input.name,
      },
    );
  }
  if (input.type !== 'float32' && input.type !== 'float64') {
    throw invalid(
      `ONNX model input '${input.name}' is ${input.type}; expected float32 or float64 (categorical features arrive as numeric codes)`,
      { input: input.name, expected: ['float32', 'float64'], actual: input.type },
    );
  }
  // An empty shape means onnxruntime doesn't know it: the run (and the probe at load) will tell.
  const shape = input.shape;
  if (shape.length !== 0 && shape.length !== 2) {
    throw invalid(
      `ONNX model input '${input.name}' has shape ${showShape(shape)}; expected [rows, features]`,
      {
        input: input.name,
        actual: shape,
      },
    );
  }
  if (typeof shape[0] === 'number') {
    throw invalid(
      `ONNX model input '${input.name}' has a fixed batch size of ${shape[0]} (shape ${showShape(shape)}); export it with a dynamic first axis (torch.onnx.export(..., dynamic_axes={'${input.name}': {0: 'batch'}}))`,
      { input: input.name, actual: shape },
    );
  }
  const width = typeof shape[1] === 'number' ? shape[1] : undefined;
  const given = signature.featureNames;
  if (given === undefined) {
    if (width === undefined) {
      throw invalid(
        `ONNX model input '${input.name}' has no fixed feature count (shape ${showShape(shape)}); give the feature names in the signature`,
        { input: input.name, actual: shape },
      );
    }
    const featureNames = Array.from({ length: width }, (_, j) => `f${j}`);
    return { name: input.name, type: input.type, featureNames, named: false };
  }
  checkNames(given);
  if (width !== undefined && given.length !== width) {
    throw invalid(
      `the signature names ${given.length} features; ONNX model input '${input.name}' takes ${width} (shape ${showShape(shape)})`,
      { input: input.name, expected: given.length, actual: width },
    );
  }
  return { name: input.name, type: input.type, featureNames: [...given], named: true };
}

function checkNames(names: readonly string[]): void {
  if (names.length === 0) throw invalid('the signature names no features', { field: '/featureNames' });
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      throw invalid(`the signature names feature '${name}' twice`, { field: '/featureNames' });
    seen.add(name);
  }
}

/** The output to read: the one the signature names, or the model's only one. */
export function resolveOutput(outputs: Metadata, signature: OnnxSignature): string {
  const names = outputs.map((m) => m.name);
  const wanted = signature.output;
  if (wanted === undefined && outputs.length !== 1) {
    throw invalid(
      `the ONNX model has ${outputs.length} outputs (${names.join(', ')}); name the one holding the values or probabilities in the signature's output`,
      { actual: names },
    );
  }
  const output = wanted === undefined ? outputs[0]! : outputs.find((m) => m.name === wanted);
  if (output === undefined) {
    throw invalid(`the ONNX model has no output '${wanted}'; its outputs: ${names.join(', ')}`, {
      expected: wanted,
      actual: names,
    });
  }
  if (!output.isTensor) {
    throw invalid(
      `ONNX model output '${output.name}' is not a tensor (a sequence or map, such as skl2onnx's ZipMap); export a tensor [rows, classes] (skl2onnx: options={'zipmap': False})`,
      { output: output.name },
    );
  }
  if (output.type !== 'float32' && output.type !== 'float64') {
    throw invalid(
      `ONNX model output '${output.name}' is ${output.type}; expected float32 or float64 values or probabilities`,
      { output: output.name, expected: ['float32', 'float64'], actual: output.type },
    );
  }
  return output.name;
}

/** What `width` values per row of output mean; `sigmoid` when one value is read as P(class 1). */
export function resolveTask(
  width: number,
  output: string,
  signature: OnnxSignature,
): { task: Task; outputs: number; sigmoid: boolean } {
  const task = signature.task ?? (width === 1 ? 'regression' : width === 2 ? 'binary' : 'multiclass');
  if (!TASKS.includes(task)) {
    throw invalid(`signature task '${task}' is not one of ${TASKS.join(', ')}`, { field: '/task' });
  }
  const fits = task === 'regression' ? width === 1 : task === 'binary' ? width <= 2 : width >= 2;
  if (!fits) {
    const expected = task === 'regression' ? '1' : task === 'binary' ? '1 or 2' : 'at least 2';
    throw invalid(
      `ONNX model output '${output}' has ${width} value${width === 1 ? '' : 's'} per row; a ${task} model gives ${expected}`,
      { output, task, expected, actual: width },
    );
  }
  return { task, outputs: task === 'binary' ? 2 : width, sigmoid: task === 'binary' && width === 1 };
}
