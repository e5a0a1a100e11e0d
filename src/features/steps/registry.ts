import type { FittedTransformStep, StepType, TransformStepConfig } from '../transform.entity.js';
import { bucketize } from './bucketize.js';
import { clip } from './clip.js';
import { dateParts } from './date-parts.js';
import { drop } from './drop.js';
import { expression } from './expression.js';
import { impute } from './impute.js';
import type { Planned, StepContext, StepKind } from './kind.js';
import { log } from './log.js';
import { oneHot } from './one-hot.js';
import { ordinal } from './ordinal.js';
import { scale } from './scale.js';

type AnyKind = StepKind<TransformStepConfig, FittedTransformStep>;

const KINDS: Record<StepType, unknown> = {
  impute,
  scale,
  one_hot: oneHot,
  ordinal,
  log,
  clip,
  bucketize,
  date_parts: dateParts,
  expression,
  drop,
};

export const STEP_TYPES = Object.keys(KINDS) as StepType[];

// TypeScript cannot correlate a step's type with its kind's parameter types through the record.
const kindOf = (type: StepType): AnyKind => KINDS[type] as AnyKind;

export const planStep = (step: TransformStepConfig, ctx: StepContext): Planned<FittedTransformStep> =>
  kindOf(step.type).plan(step, ctx);

export const lowerStep = (step: FittedTransformStep, ctx: StepContext): void =>
  kindOf(step.type).lower(step, ctx);

/** Lowers the step with its parameters unknown: every node it adds is dirty. */
export function dryStep(step: TransformStepConfig, ctx: StepContext): void {
  ctx.graph.dirtyMode = true;
  try {
    kindOf(step.type).dry(step, ctx);
  } finally {
    ctx.graph.dirtyMode = false;
  }
}
