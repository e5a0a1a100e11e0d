import { Value } from 'typebox/value';
import {
  BUNDLE_FORMAT,
  type BundleManifest,
  BundleManifest as ManifestSchema,
} from '../../contracts/index.js';
import { invalid } from '../../core/index.js';
import { parseTransformSpec } from '../../features/index.js';

/**
 * A bundle's `model.json`, checked: the shape (the first problem named by its path), the format, and the
 * transform spec step by step. A bundle is input like any other: a registered model may come from
 * anywhere.
 */
export function parseManifest(value: unknown, where = 'model.json'): BundleManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${where}: not a JSON object`, { file: where });
  }
  const format = (value as { format?: unknown }).format;
  if (format !== BUNDLE_FORMAT) {
    throw invalid(
      `${where}: format '${String(format)}' is not a model bundle (expected '${BUNDLE_FORMAT}')`,
      {
        file: where,
        field: 'format',
      },
    );
  }
  const first = [...Value.Errors(ManifestSchema, value)][0] as
    | { instancePath?: string; message?: string }
    | undefined;
  if (first) {
    const field = (first.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || '(root)';
    throw invalid(`${where}: ${field}: ${first.message ?? 'is not valid'}`, { file: where, field });
  }
  const manifest = value as BundleManifest;
  if (manifest.transform) parseTransformSpec(manifest.transform);
  if (manifest.task !== 'regression' && !manifest.signature.classes?.length) {
    throw invalid(`${where}: signature.classes: a ${manifest.task} model needs its class labels`, {
      file: where,
      field: 'signature.classes',
    });
  }
  return manifest;
}
