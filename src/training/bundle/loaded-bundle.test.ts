import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../contracts/index.js';
import { isCyclopsError } from '../../core/index.js';
import { fitGbdt } from '../algorithms/trees/gbdt.js';
import { dataOf, GBDT_CASES } from '../algorithms/trees/gbdt-reference.fixture.js';
import { LoadedBundle } from './loaded-bundle.js';

const fixture = (file: string) => new URL(`../../../test/fixtures/onnx/${file}`, import.meta.url);
const reference = JSON.parse(readFileSync(fixture('reference.json'), 'utf8')) as {
  models: Record<
    string,
    { featureNames: string[]; classes: string[]; inputs: number[][]; outputs: number[][] }
  >;
};

function manifest(overrides: Partial<BundleManifest>): BundleManifest {
  return {
    format: 'cyclops.bundle.v1',
    flavor: 'builtin',
    algorithm: 'gbdt',
    task: 'multiclass',
    params: {},
    signature: { inputs: [], outputs: [], target: 'y' },
    transform: null,
    features: [],
    payload: 'payload.json',
    metrics: {},
    lineage: { datasets: [], runId: null, codeVersion: 'test', createdAt: 0, createdBy: 'test' },
    ...overrides,
  };
}

const reader = (files: Record<string, Uint8Array | string>) => async (path: string) => {
  const file = files[path];
  if (file === undefined) throw new Error(`no ${path}`);
  return typeof file === 'string' ? new TextEncoder().encode(file) : file;
};

describe('LoadedBundle', () => {
  it('predicts rows with an ONNX model exported by PyTorch, as torch did', async () => {
    const iris = reference.models['iris-mlp.onnx']!;
    const bundle = await LoadedBundle.load(
      reader({
        'model.json': JSON.stringify(
          manifest({
            flavor: 'onnx',
            algorithm: 'onnx',
            payload: 'model.onnx',
            signature: {
              inputs: iris.featureNames.map((name) => ({ name, type: 'float' as const })),
              outputs: iris.classes,
              target: 'species',
              classes: iris.classes,
            },
            features: iris.featureNames.map((name) => ({ name, kind: 'numeric' as const })),
          }),
        ),
        'model.onnx': readFileSync(fixture('iris-mlp.onnx')),
      }),
    );
    const rows = iris.inputs.map((x) =>
      Object.fromEntries(iris.featureNames.map((n, j) => [n, x[j] as number])),
    );
    const predictions = await bundle.predictRows(rows);
    predictions.forEach((p, i) => {
      const expected = iris.outputs[i] as number[];
      iris.classes.forEach((c, k) => {
        expect((p as { probabilities: Record<string, number> }).probabilities[c]).toBeCloseTo(
          expected[k] as number,
          6,
        );
      });
    });
    await bundle.close();
  });

  it('predicts rows with a built-in model, categories by name, unknown ones as missing', async () => {
    const penguins = GBDT_CASES.find((c) => c.name === 'penguins-categorical')!;
    const model = fitGbdt(dataOf(penguins, penguins.train), { max_iter: 10, early_stopping: 'off' });
    const names = penguins.names;
    const bundle = await LoadedBundle.load(
      reader({
        'model.json': JSON.stringify(
          manifest({
            signature: {
              inputs: names.map((name, j) => ({
                name,
                type: penguins.categories[j] ? ('string' as const) : ('float' as const),
              })),
              outputs: penguins.classes as string[],
              target: 'Species',
              classes: penguins.classes as string[],
            },
            features: names.map((name, j) => {
              const categories = penguins.categories[j];
              return categories
                ? { name, kind: 'categorical' as const, categories }
                : { name, kind: 'numeric' as const };
            }),
          }),
        ),
        'payload.json': JSON.stringify(model.toJSON()),
      }),
    );
    const row = {
      Island: 'Biscoe',
      Sex: 'MALE',
      'Beak Length (mm)': 48,
      'Beak Depth (mm)': 15,
      'Flipper Length (mm)': 220,
      'Body Mass (g)': 5300,
    };
    const [one] = await bundle.predictRows([row]);
    expect(one?.prediction).toBe('Gentoo');
    const [batchFirst] = await bundle.predictRows([row, { ...row, Island: 'Atlantis' }]);
    expect(batchFirst).toEqual(one);
    const error = await bundle.predictRows([{ ...row, Island: 3 }]).catch((e: unknown) => e);
    expect(isCyclopsError(error) && error.message).toMatch(/row 0: column 'Island' must be a string/);
  });

  it('refuses a bundle that is not one, naming the file and field', async () => {
    const bad = async (files: Record<string, string | Uint8Array>, message: RegExp) => {
      const error = await LoadedBundle.load(reader(files)).catch((e: unknown) => e);
      expect(isCyclopsError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    };
    await bad({ 'model.json': '{' }, /model.json: not valid JSON/);
    await bad({ 'model.json': '{"format":"other"}' }, /format 'other' is not a model bundle/);
    await bad({ 'model.json': JSON.stringify({ ...manifest({}), task: 'ranking' }) }, /model.json: task/);
    await bad(
      {
        'model.json': JSON.stringify(manifest({ task: 'regression' })),
        'payload.json': '{"format":"cyclops.gbdt.v9"}',
      },
      /expected format/,
    );
    await bad(
      { 'model.json': JSON.stringify(manifest({})) },
      /signature.classes: a multiclass model needs its class labels/,
    );
    await bad(
      {
        'model.json': JSON.stringify(manifest({ task: 'regression', flavor: 'onnx', payload: 'model.onnx' })),
        'model.onnx': new Uint8Array([1, 2, 3, 4]),
      },
      /not a valid ONNX model/,
    );
  });
});
