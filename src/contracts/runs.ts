import Type, { type Static } from 'typebox';
import { Key, MAX_NAME_LENGTH, MetricValue, Millis, Param, Tag, ViewType } from './common.js';

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export const RunStatus = Type.Union([
  Type.Literal('RUNNING'),
  Type.Literal('SCHEDULED'),
  Type.Literal('FINISHED'),
  Type.Literal('FAILED'),
  Type.Literal('KILLED'),
]);
export type RunStatus = Static<typeof RunStatus>;

export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

export const Metric = Type.Object(
  {
    key: Key,
    value: MetricValue,
    timestamp: Type.Optional(Millis),
    step: Type.Optional(Type.Integer({ minimum: -9_007_199_254_740_991, maximum: 9_007_199_254_740_991 })),
  },
  { additionalProperties: false },
);
export type MetricInput = Static<typeof Metric>;

export const MetricPoint = Type.Object({
  key: Type.String(),
  value: MetricValue,
  timestamp: Type.Integer(),
  step: Type.Integer(),
});
export type MetricPoint = Static<typeof MetricPoint>;

export const RunInfo = Type.Object({
  run_id: Type.String(),
  run_uuid: Type.String(),
  run_name: Type.String(),
  experiment_id: Type.String(),
  user_id: Type.String(),
  status: RunStatus,
  start_time: Type.Integer(),
  end_time: Type.Optional(Type.Integer()),
  artifact_uri: Type.String(),
  lifecycle_stage: Type.Union([Type.Literal('active'), Type.Literal('deleted')]),
});
export type RunInfo = Static<typeof RunInfo>;

export const RunData = Type.Object({
  metrics: Type.Array(MetricPoint),
  params: Type.Array(Param),
  tags: Type.Array(Tag),
});

export const Run = Type.Object({ info: RunInfo, data: RunData });
export type Run = Static<typeof Run>;

export const RunIdParams = Type.Object({ run_id: Type.String({ pattern: '^[0-9a-f]{32}$' }) });

export const CreateRunRequest = Type.Object(
  {
    experiment_id: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
    run_name: Type.Optional(Type.String({ maxLength: MAX_NAME_LENGTH })),
    start_time: Type.Optional(Millis),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateRunRequest = Static<typeof CreateRunRequest>;

export const UpdateRunRequest = Type.Object(
  {
    status: Type.Optional(RunStatus),
    end_time: Type.Optional(Millis),
    run_name: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH })),
  },
  { additionalProperties: false },
);
export type UpdateRunRequest = Static<typeof UpdateRunRequest>;

export const LogBatchRequest = Type.Object(
  {
    metrics: Type.Optional(Type.Array(Metric, { maxItems: BATCH_LIMITS.metrics })),
    params: Type.Optional(Type.Array(Param, { maxItems: BATCH_LIMITS.params })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: BATCH_LIMITS.tags })),
  },
  { additionalProperties: false },
);
export type LogBatchRequest = Static<typeof LogBatchRequest>;

export const SearchRunsRequest = Type.Object(
  {
    experiment_ids: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{1,18}$' }), { maxItems: 1000 })),
    filter: Type.Optional(Type.String({ maxLength: 10_000 })),
    order_by: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 20 })),
    run_view_type: Type.Optional(ViewType),
    max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
    page_token: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type SearchRunsRequest = Static<typeof SearchRunsRequest>;

export const RunResponse = Type.Object({ run: Run });
export const SearchRunsResponse = Type.Object({
  runs: Type.Array(Run),
  next_page_token: Type.Optional(Type.String()),
});
export type SearchRunsResponse = Static<typeof SearchRunsResponse>;

export const MetricHistoryQuery = Type.Object({
  key: Key,
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  page_token: Type.Optional(Type.String({ maxLength: 1024 })),
});
export type MetricHistoryQuery = Static<typeof MetricHistoryQuery>;

export const MetricHistoryResponse = Type.Object({
  metrics: Type.Array(MetricPoint),
  next_page_token: Type.Optional(Type.String()),
});
export type MetricHistoryResponse = Static<typeof MetricHistoryResponse>;

export const ArtifactEntry = Type.Object({
  path: Type.String(),
  is_dir: Type.Boolean(),
  file_size: Type.Optional(Type.Integer()),
});
export type ArtifactEntry = Static<typeof ArtifactEntry>;

export const ListArtifactsResponse = Type.Object({
  root_uri: Type.String(),
  files: Type.Array(ArtifactEntry),
});
export type ListArtifactsResponse = Static<typeof ListArtifactsResponse>;

export const UploadArtifactResponse = Type.Object({
  path: Type.String(),
  file_size: Type.Integer(),
  sha256: Type.String(),
});
