import Type, { type Static } from 'typebox';

/**
 * Wire schemas shared by api/, client/ and web/. Field names follow MLflow's JSON (snake_case, ids as
 * strings, times as epoch milliseconds) so the MLflow-compatible API stays a thin adapter.
 */

/** Metric and tag keys as MLflow accepts them: they may become file names, so no path tricks. */
export const KEY_PATTERN = '^[A-Za-z0-9_\\-. :/]+$';
export const MAX_KEY_LENGTH = 250;
export const MAX_PARAM_VALUE_LENGTH = 6000;
export const MAX_TAG_VALUE_LENGTH = 8000;
export const MAX_NAME_LENGTH = 500;

export const Key = Type.String({ minLength: 1, maxLength: MAX_KEY_LENGTH, pattern: KEY_PATTERN });

/** Epoch milliseconds. */
export const Millis = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });

/**
 * A metric value: a JSON number, or one of the strings proto3's JSON mapping uses for non-finite
 * doubles. MLflow clients send NaN and +-Infinity, and they must round-trip faithfully.
 */
export const MetricValue = Type.Union([
  Type.Number(),
  Type.Literal('NaN'),
  Type.Literal('Infinity'),
  Type.Literal('-Infinity'),
]);
export type MetricValue = Static<typeof MetricValue>;

export function toWireNumber(value: number): MetricValue {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

export function fromWireNumber(value: MetricValue): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  return value === 'Infinity' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

export const Tag = Type.Object(
  { key: Key, value: Type.String({ maxLength: MAX_TAG_VALUE_LENGTH }) },
  { additionalProperties: false },
);
export type Tag = Static<typeof Tag>;

export const Param = Type.Object(
  { key: Key, value: Type.String({ maxLength: MAX_PARAM_VALUE_LENGTH }) },
  { additionalProperties: false },
);
export type Param = Static<typeof Param>;

export const ViewType = Type.Union([Type.Literal('active'), Type.Literal('deleted'), Type.Literal('all')]);
export type ViewType = Static<typeof ViewType>;

export const PageQuery = Type.Object({
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  page_token: Type.Optional(Type.String({ maxLength: 4096 })),
});

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const Empty = Type.Object({});
