import type { BundleManifest, TransformSpec } from '../../contracts/index.js';
import { invalid } from '../../core/index.js';
import { compileRowTransform, type RowTransform } from '../../features/index.js';
import { loadBuiltinModel } from '../algorithms/registry.js';
import type { FeatureMatrix, Model } from '../model.entity.js';
import { type AsyncPredictor, loadOnnxModel, type OnnxPredictor, toAsyncPredictor } from '../onnx/index.js';
import { parseManifest } from './manifest.js';

/** Reads a file of a bundle by its path relative to the bundle directory (the artifact store, a disk). */
export type BundleReader = (path: string) => Promise<Uint8Array>;

/** One row's prediction: the value (regression), or the class and each class's probability. */
export type RowPrediction =
  | { prediction: number }
  | { prediction: string; probabilities: Record<string, number> };

/**
 * A bundle ready to predict: its manifest, the fitted transform compiled for rows, and the model.
 * `predictRows` takes rows as a caller sends them (the signature's input columns), applies the
 * transform and the feature encoding, and predicts; `predictMatrix` takes features already encoded
 * (what batch scoring builds in DuckDB with the same transform and encoding).
 */
export class LoadedBundle {
  private readonly transform: RowTransform;
  private readonly encoders: ((value: unknown) => number)[];
  private readonly row: Float64Array;

  private constructor(
    readonly manifest: BundleManifest,
    readonly predictor: AsyncPredictor,
    /** The built-in model (synchronous row predictions), or null for ONNX. */
    private readonly model: Model | null,
    private readonly onnx: OnnxPredictor | null,
  ) {
    this.transform = compileRowTransform(manifest.transform ?? identitySpec(manifest));
    this.encoders = manifest.features.map(encoderFor);
    this.row = new Float64Array(manifest.features.length);
  }

  static async load(read: BundleReader): Promise<LoadedBundle> {
    const manifest = parseManifest(parseJson(await read('model.json'), 'model.json'));
    const payload = await read(manifest.payload);
    if (manifest.flavor === 'onnx') {
      const onnx = await loadOnnxModel(payload, {
        featureNames: manifest.features.map((f) => f.name),
        task: manifest.task,
      });
      return new LoadedBundle(manifest, onnx, null, onnx);
    }
    const model = loadBuiltinModel(
      manifest.algorithm,
      parseJson(payload, manifest.payload) as Record<string, unknown>,
    );
    const names = manifest.features.map((f) => f.name);
    if (model.featureNames.length !== names.length || model.featureNames.some((n, i) => n !== names[i])) {
      throw invalid(`${manifest.payload}: the model's features differ from the manifest's`, {
        file: manifest.payload,
      });
    }
    return new LoadedBundle(manifest, toAsyncPredictor(model), model, null);
  }

  /** The class labels of a classifier (null for regression). */
  get classes(): string[] | null {
    return this.manifest.signature.classes ?? null;
  }

  /** Encoded features of rows (each transformed first), as a column-major FeatureMatrix. */
  encodeRows(rows: readonly Readonly<Record<string, unknown>>[]): FeatureMatrix {
    const F = this.manifest.features.length;
    const values = new Float64Array(rows.length * F);
    rows.forEach((row, i) => {
      this.encodeRow(row, i);
      for (let j = 0; j < F; j++) values[j * rows.length + i] = this.row[j] as number;
    });
    return {
      rows: rows.length,
      columns: F,
      values,
      names: this.manifest.features.map((f) => f.name),
      categories: this.manifest.features.map((f) => f.categories ?? null),
    };
  }

  /** Predictions for rows as callers send them. Errors name the row and the column. */
  async predictRows(rows: readonly Readonly<Record<string, unknown>>[]): Promise<RowPrediction[]> {
    if (this.model && rows.length === 1) {
      // One row (online serving): no matrix, no promise per value.
      this.encodeRow(rows[0] as Record<string, unknown>, 0);
      const out = new Float64Array(this.model.outputs);
      this.model.predictRow(this.row, out);
      return [this.present(out, 0)];
    }
    const outputs = await this.predictor.predict(this.encodeRows(rows));
    return rows.map((_, i) => this.present(outputs, i));
  }

  /** Raw outputs (`outputs` per row, row-major) for features already encoded. */
  predictMatrix(x: FeatureMatrix): Promise<Float64Array> {
    return this.predictor.predict(x);
  }

  /** Frees what the model holds outside the JS heap (an ONNX session). */
  async close(): Promise<void> {
    await this.onnx?.close();
  }

  private encodeRow(row: Readonly<Record<string, unknown>>, index: number): void {
    let transformed: Record<string, unknown>;
    try {
      transformed = this.transform.apply(row);
    } catch (err) {
      if (err instanceof Error) err.message = `row ${index}: ${err.message}`;
      throw err;
    }
    const { features } = this.manifest;
    for (let j = 0; j < features.length; j++) {
      this.row[j] = (this.encoders[j] as (v: unknown) => number)(
        transformed[(features[j] as { name: string }).name],
      );
    }
  }

  private present(outputs: Float64Array, i: number): RowPrediction {
    const classes = this.manifest.signature.classes;
    if (!classes) return { prediction: outputs[i] as number };
    const k = classes.length;
    const probabilities: Record<string, number> = {};
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = outputs[i * k + c] as number;
      probabilities[classes[c] as string] = p;
      if (p > (outputs[i * k + best] as number)) best = c;
    }
    return { prediction: classes[best] as string, probabilities };
  }
}

/** A spec that passes the signature's inputs through unchanged (a bundle trained without a transform). */
function identitySpec(manifest: BundleManifest): TransformSpec {
  const inputs = manifest.signature.inputs.map((c) => ({ name: c.name, type: c.type }));
  return { format: 'cyclops.transform.v1', inputs, steps: [], outputs: inputs };
}

/** A transformed value as the model's feature: its number (booleans 0/1, null NaN) or category code. */
function encoderFor(feature: {
  name: string;
  kind: string;
  categories?: string[] | undefined;
}): (v: unknown) => number {
  if (feature.kind === 'categorical') {
    const codes = new Map((feature.categories ?? []).map((c, i) => [c, i]));
    return (v) => (v === null || v === undefined ? Number.NaN : (codes.get(String(v)) ?? Number.NaN));
  }
  return (v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Number.NaN);
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw invalid(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { file });
  }
}
