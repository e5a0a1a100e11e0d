import { CyclopsError, invalid } from '../../core/index.js';
import type { FeatureMatrix, Task } from '../model.entity.js';
import type { AsyncPredictor } from './async-predictor.js';
import { newArray, OnnxRun } from './onnx-run.js';
import { openSession } from './onnx-session.js';
import { type OnnxSignature, resolveInput, resolveOutput, resolveTask } from './onnx-signature.js';
import { type FloatArray, rowMajor } from './row-major.js';

export interface OnnxLoadOptions {
  /**
   * Rows per onnxruntime run (default 65,536). A run holds the JS thread until it returns; between runs
   * the event loop gets a turn, and the input buffer stays at `batchRows * features` values.
   */
  batchRows?: number;
  /** onnxruntime's intra-op threads (default 1): see `openSession` for why one. */
  threads?: number;
}

const DEFAULT_BATCH_ROWS = 65_536;

/**
 * Loads an ONNX model (its bytes, or a file path) for CPU inference. Checks the model's one input
 * (float32/float64, [rows, features] with a dynamic rows axis) and chosen output against `signature`,
 * then runs two rows of zeros to learn the output's width and prove the model runs.
 */
export async function loadOnnxModel(
  source: Uint8Array | string,
  signature: OnnxSignature = {},
  options: OnnxLoadOptions = {},
): Promise<OnnxPredictor> {
  const batchRows = positiveInt(options.batchRows ?? DEFAULT_BATCH_ROWS, 'batchRows');
  const threads = positiveInt(options.threads ?? 1, 'threads');
  const { session, runtime } = await openSession(source, threads);
  try {
    const input = resolveInput(session.inputMetadata, signature);
    const output = resolveOutput(session.outputMetadata, signature);
    const model = new OnnxRun(session, runtime, input, output);
    const { task, outputs, sigmoid } = resolveTask(await probe(model), output, signature);
    return new OnnxPredictor(model, task, outputs, sigmoid, batchRows);
  } catch (err) {
    await session.release().catch(() => undefined);
    throw err;
  }
}

/**
 * Two rows of zeros: a model that can't run on [rows, features] fails here rather than on its first
 * request, and one whose output ignores the batch size shows it. Returns the output values per row.
 */
async function probe(model: OnnxRun): Promise<number> {
  const features = model.input.featureNames.length;
  try {
    return (await model.run(newArray(model.input.type, 2 * features), 2)).length / 2;
  } catch (err) {
    if (!(err instanceof CyclopsError)) throw err;
    throw invalid(
      `the ONNX model does not run on [2, ${features}] rows of zeros: ${err.message}`,
      err.details,
    );
  }
}

/** An ONNX model as an `AsyncPredictor`. NaN features reach the model as NaN: it decides what they mean. */
export class OnnxPredictor implements AsyncPredictor {
  readonly featureNames: readonly string[];
  /** The model's input and output tensors this predictor feeds and reads. */
  readonly inputName: string;
  readonly outputName: string;
  #inFlight = 0;
  #closing: Promise<void> | undefined;
  #released: (() => void) | undefined;

  constructor(
    private readonly model: OnnxRun,
    readonly task: Task,
    readonly outputs: number,
    private readonly sigmoid: boolean,
    private readonly batchRows: number,
  ) {
    this.featureNames = model.input.featureNames;
    this.inputName = model.input.name;
    this.outputName = model.output;
  }

  async predict(x: FeatureMatrix): Promise<Float64Array> {
    this.checkMatrix(x);
    const width = this.featureNames.length;
    const out = new Float64Array(x.rows * this.outputs);
    if (x.rows === 0) return out;
    const batch = Math.min(x.rows, this.batchRows);
    // One buffer per call, not per predictor: concurrent calls interleave between batches.
    const buffer = newArray(this.model.input.type, batch * width);
    return this.using(async () => {
      for (let from = 0; from < x.rows; from += batch) {
        const count = Math.min(batch, x.rows - from);
        rowMajor(x, from, count, buffer);
        const values = await this.model.run(buffer.subarray(0, count * width), count);
        this.copyOut(values, count, out, from);
      }
      return out;
    });
  }

  async predictRow(row: Float64Array): Promise<Float64Array> {
    if (row.length !== this.featureNames.length) {
      throw invalid(
        `the row has ${row.length} values; the ONNX model takes ${this.featureNames.length} features`,
        {
          expected: this.featureNames.length,
          actual: row.length,
        },
      );
    }
    const out = new Float64Array(this.outputs);
    const input = newArray(this.model.input.type, row.length);
    input.set(row);
    return this.using(async () => {
      this.copyOut(await this.model.run(input, 1), 1, out, 0);
      return out;
    });
  }

  /** Frees the native session once the predictions under way are done; later calls fail as unavailable. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#released = resolve;
      if (this.#inFlight === 0) resolve();
    }).then(() => this.model.session.release());
    return this.#closing;
  }

  private async using<T>(work: () => Promise<T>): Promise<T> {
    if (this.#closing) throw new CyclopsError('unavailable', 'this ONNX model was closed');
    this.#inFlight++;
    try {
      return await work();
    } finally {
      if (--this.#inFlight === 0) this.#released?.();
    }
  }

  private copyOut(values: FloatArray, count: number, out: Float64Array, fromRow: number): void {
    const k = this.outputs;
    const width = this.sigmoid ? 1 : k;
    if (values.length !== count * width) {
      // A symbolic output axis may change width from run to run; the load-time probe fixed it.
      throw new CyclopsError(
        'internal',
        `ONNX model output '${this.outputName}' gave ${values.length / count} values per row; at load it gave ${width}`,
        { output: this.outputName, expected: width, actual: values.length / count },
      );
    }
    if (this.sigmoid) {
      for (let i = 0; i < count; i++) {
        const p = values[i]!;
        out[(fromRow + i) * 2] = 1 - p;
        out[(fromRow + i) * 2 + 1] = p;
      }
    } else {
      out.set(values, fromRow * k);
    }
  }

  private checkMatrix(x: FeatureMatrix): void {
    const names = this.featureNames;
    if (x.columns !== names.length) {
      throw invalid(`the matrix has ${x.columns} columns; the ONNX model takes ${names.length} features`, {
        expected: names.length,
        actual: x.columns,
      });
    }
    if (x.values.length !== x.rows * x.columns) {
      throw invalid(`the matrix holds ${x.values.length} values, not rows * columns = ${x.rows * x.columns}`);
    }
    if (!this.model.input.named) return;
    const j = names.findIndex((name, i) => x.names[i] !== name);
    if (j >= 0) {
      throw invalid(
        `column ${j} of the matrix is '${x.names[j]}'; the ONNX model expects '${names[j]}' there`,
        {
          expected: names,
          actual: x.names,
        },
      );
    }
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw invalid(`${name} must be a positive integer, not ${value}`);
  return value;
}
