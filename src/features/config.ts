import Type, { type TSchema } from 'typebox';
import {
  BucketizeStep,
  ClipStep,
  DatePartsStep,
  DropStep,
  ExpressionStep,
  FittedTransformStep,
  ImputeStep,
  LogStep,
  OneHotStep,
  OrdinalStep,
  ScaleStep,
  TRANSFORM_SPEC_FORMAT,
  TransformColumn,
} from '../contracts/index.js';
import { invalid } from '../core/index.js';
import { lowerSpec } from './lower-spec.js';
import { schemaError } from './schema-errors.js';
import { STEP_TYPES } from './steps/registry.js';
import type { StepType, TransformConfig, TransformSpec } from './transform.entity.js';

const CONFIG_STEPS: Record<StepType, TSchema> = {
  impute: ImputeStep,
  scale: ScaleStep,
  one_hot: OneHotStep,
  ordinal: OrdinalStep,
  log: LogStep,
  clip: ClipStep,
  bucketize: BucketizeStep,
  date_parts: DatePartsStep,
  expression: ExpressionStep,
  drop: DropStep,
};
const SPEC_STEPS = Object.fromEntries(
  (FittedTransformStep.anyOf as { properties: { type: { const: StepType } } }[]).map((s) => [
    s.properties.type.const,
    s as unknown as TSchema,
  ]),
) as Record<StepType, TSchema>;

/**
 * Checks the shape of a TransformConfig (from JSON or YAML): each step by the schema of its type, so an
 * error names one field (`steps[3].method: must be "standard", "min_max" or "robust"`), not a union.
 */
export function parseTransformConfig(value: unknown): TransformConfig {
  checkObject(value, Type.Object({ steps: Type.Array(Type.Unknown()) }, { additionalProperties: false }), '');
  const { steps } = value as { steps: unknown[] };
  for (const [i, step] of steps.entries()) checkStep(step, i, CONFIG_STEPS);
  return value as TransformConfig;
}

/**
 * Checks a stored or received TransformSpec: its shape, then its meaning (each step against the columns
 * it sees, and that the steps produce the outputs it lists).
 */
export function parseTransformSpec(value: unknown): TransformSpec {
  const Shape = Type.Object(
    {
      format: Type.String(),
      inputs: Type.Array(TransformColumn),
      steps: Type.Array(Type.Unknown()),
      outputs: Type.Array(TransformColumn),
    },
    { additionalProperties: false },
  );
  checkObject(value, Shape, '');
  const spec = value as TransformSpec;
  if (spec.format !== TRANSFORM_SPEC_FORMAT) {
    throw invalid(
      `format: '${spec.format}' is not a supported transform spec (expected '${TRANSFORM_SPEC_FORMAT}')`,
      {
        field: 'format',
      },
    );
  }
  for (const [i, step] of (spec.steps as unknown[]).entries()) checkStep(step, i, SPEC_STEPS);
  lowerSpec(spec);
  return spec;
}

function checkStep(step: unknown, i: number, schemas: Record<StepType, TSchema>): void {
  const at = `steps[${i}]`;
  if (typeof step !== 'object' || step === null || Array.isArray(step)) {
    throw invalid(`${at}: must be an object`, { field: at });
  }
  const type = (step as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    const field = `${at}.type`;
    const known = STEP_TYPES.join(', ');
    throw invalid(
      type === undefined
        ? `${field}: is required (transforms: ${known})`
        : `${field}: unknown transform ${JSON.stringify(type)} (transforms: ${known})`,
      { field },
    );
  }
  checkObject(step, schemas[type as StepType], at);
}

function checkObject(value: unknown, schema: TSchema, prefix: string): void {
  const error = schemaError(schema, value, prefix);
  if (error) throw invalid(error.message, { field: error.field });
}
