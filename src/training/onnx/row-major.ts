import type { FeatureMatrix } from '../model.entity.js';

/** The element types an ONNX model's feature input may have: what a FeatureMatrix converts to losslessly enough. */
export type FloatArray = Float32Array | Float64Array;

/**
 * Rows [from, from + count) of a column-major matrix into `out`, row-major: row i's features at
 * [i * columns, (i + 1) * columns). Reads each column sequentially (the matrix is the big side), writes
 * strided into a buffer the caller reuses across batches. NaN stays NaN; a Float32Array rounds to
 * nearest and turns magnitudes beyond float32's range into ±Infinity.
 */
export function rowMajor(x: FeatureMatrix, from: number, count: number, out: FloatArray): void {
  const { rows, columns, values } = x;
  for (let j = 0; j < columns; j++) {
    const base = j * rows + from;
    for (let i = 0; i < count; i++) out[i * columns + j] = values[base + i]!;
  }
}
