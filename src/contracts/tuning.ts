import { type Static, Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const Params = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]));
const Status = Type.Union([
  Type.Literal('running'),
  Type.Literal('finished'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

/**
 * A tuning study as `cyclops tune --config tune.yaml` sends it: the data and target, the search space,
 * the metric and sampler (the server checks every field and names the one at fault).
 */
export const StartStudyRequest = Type.Object({ config: Type.Unknown() }, strict);
export const StudyQuery = Type.Object(
  { wait: Type.Optional(Type.Boolean({ description: 'Answer when the study has ended' })) },
  strict,
);
export const StudyIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, strict);
export const ListStudiesQuery = Type.Object(
  {
    status: Type.Optional(Status),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    page_token: Type.Optional(Type.String()),
  },
  strict,
);

export const StudyWire = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Status,
  config: Type.Unknown(),
  metric: Type.String(),
  direction: Type.Union([Type.Literal('maximize'), Type.Literal('minimize')]),
  sampler: Type.String(),
  seed: Type.Integer(),
  n_trials: Type.Integer(),
  concurrency: Type.Integer(),
  parent_run_id: Type.Union([Type.String(), Type.Null()]),
  best_trial: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  created_by: Type.String(),
  created_at: Type.Integer(),
  ended_at: Type.Union([Type.Integer(), Type.Null()]),
  progress: Type.Object({
    completed: Type.Integer(),
    total: Type.Integer(),
    best: Type.Union([
      Type.Object({ number: Type.Integer(), value: Type.Number(), params: Params }),
      Type.Null(),
    ]),
  }),
});
export type StudyWire = Static<typeof StudyWire>;

export const TrialWire = Type.Object({
  number: Type.Integer(),
  params: Params,
  state: Type.Union([
    Type.Literal('running'),
    Type.Literal('complete'),
    Type.Literal('pruned'),
    Type.Literal('failed'),
  ]),
  value: Type.Union([Type.Number(), Type.Null()]),
  /** Per-iteration losses [step, value] ("NaN" and the infinities as strings, as metrics). */
  intermediate: Type.Array(Type.Array(Type.Union([Type.Number(), Type.String()]))),
  error: Type.Union([Type.String(), Type.Null()]),
  run_id: Type.Union([Type.String(), Type.Null()]),
  started_at: Type.Integer(),
  ended_at: Type.Union([Type.Integer(), Type.Null()]),
});
export type TrialWire = Static<typeof TrialWire>;

export const StudyResponse = Type.Object({ study: StudyWire });
export const StudyDetailResponse = Type.Object({ study: StudyWire, trials: Type.Array(TrialWire) });
export type StudyDetailResponse = Static<typeof StudyDetailResponse>;
export const StudyListResponse = Type.Object({
  studies: Type.Array(StudyWire),
  next_page_token: Type.Optional(Type.String()),
});
export type StudyListResponse = Static<typeof StudyListResponse>;
