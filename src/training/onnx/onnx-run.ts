import type * as Ort from 'onnxruntime-node';
import { CyclopsError } from '../../core/index.js';
import { type OnnxRuntime, reason } from './onnx-session.js';
import type { InputLayout } from './onnx-signature.js';
import type { FloatArray } from './row-major.js';

/** One session, one input, one output: a run of `rows` rows returns their `rows * width` outputs. */
export class OnnxRun {
  constructor(
    readonly session: Ort.InferenceSession,
    private readonly runtime: OnnxRuntime,
    readonly input: InputLayout,
    readonly output: string,
  ) {}

  async run(data: FloatArray, rows: number): Promise<FloatArray> {
    const tensor = new this.runtime.Tensor(this.input.type, data, [rows, this.input.featureNames.length]);
    let result: Ort.InferenceSession.ReturnType;
    try {
      result = await this.session.run({ [this.input.name]: tensor }, [this.output]);
    } catch (err) {
      throw new CyclopsError(
        'internal',
        `the ONNX model failed to run: ${reason(err)}`,
        { reason: reason(err) },
        { cause: err },
      );
    }
    const value = result[this.output]!;
    const dims = value.dims;
    const rowsOk = dims[0] === rows && (dims.length === 1 || (dims.length === 2 && dims[1]! >= 1));
    if (!rowsOk || !(value.data instanceof Float32Array || value.data instanceof Float64Array)) {
      throw new CyclopsError(
        'internal',
        `ONNX model output '${this.output}' is ${value.type} [${dims.join(', ')}] for ${rows} rows; expected float [${rows}, values]`,
        { output: this.output, actual: dims },
      );
    }
    return value.data;
  }
}

export function newArray(type: InputLayout['type'], length: number): FloatArray {
  return type === 'float32' ? new Float32Array(length) : new Float64Array(length);
}
