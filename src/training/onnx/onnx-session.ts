import { readFile } from 'node:fs/promises';
import type * as Ort from 'onnxruntime-node';
import { CyclopsError, invalid, notFound } from '../../core/index.js';

export type OnnxRuntime = typeof Ort;

let runtime: Promise<OnnxRuntime> | undefined;

/**
 * onnxruntime-node, loaded on first use: importing it maps a 47 MB native library (~80 ms, ~16 MB RSS),
 * which processes that never load an ONNX model (the CLI, the api role) shouldn't pay for.
 */
export function onnxRuntime(): Promise<OnnxRuntime> {
  runtime ??= import('onnxruntime-node').catch((err: unknown) => {
    runtime = undefined;
    throw new CyclopsError(
      'unavailable',
      `onnxruntime-node could not be loaded: ${reason(err)}`,
      { reason: reason(err) },
      { cause: err },
    );
  });
  return runtime;
}

export const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A CPU session. `threads` is onnxruntime's intra-op pool size. The binding runs a model synchronously
 * on the JS thread (its promise only defers the call), and the intra-op threads come on top of it, so 1
 * means the model computes on the calling thread alone: small tabular models gain nothing from splitting
 * an operator across cores, and a server scales by processes. Inter-op parallelism is off (sequential).
 */
export async function openSession(
  source: Uint8Array | string,
  threads: number,
): Promise<{ session: Ort.InferenceSession; runtime: OnnxRuntime }> {
  const bytes = typeof source === 'string' ? await readModelFile(source) : source;
  const what = typeof source === 'string' ? `'${source}'` : `the ${bytes.byteLength}-byte model`;
  if (bytes.byteLength === 0) {
    throw invalid(`${what} is not a valid ONNX model: it is empty`, { reason: 'empty' });
  }
  const ort = await onnxRuntime();
  try {
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // onnxruntime writes to stderr, past the logger: its warnings are noise (unused initializers of
      // torch exports), and its errors come back in the exception CyclOps raises.
      logSeverityLevel: 4,
    });
    return { session, runtime: ort };
  } catch (err) {
    throw new CyclopsError(
      'invalid_argument',
      `${what} is not a valid ONNX model (or not one onnxruntime ${ort.env.versions.common} can run): ${reason(err)}`,
      { reason: reason(err) },
      { cause: err },
    );
  }
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('ONNX model file', path);
    throw err;
  }
}
