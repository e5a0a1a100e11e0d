import Type, { type Static } from 'typebox';
import { MAX_NAME_LENGTH, Millis, Tag, ViewType } from './common.js';

export const ExperimentName = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: '\\S' });

export const Experiment = Type.Object({
  experiment_id: Type.String(),
  name: Type.String(),
  artifact_location: Type.String(),
  lifecycle_stage: Type.Union([Type.Literal('active'), Type.Literal('deleted')]),
  creation_time: Millis,
  last_update_time: Millis,
  tags: Type.Array(Tag),
});
export type Experiment = Static<typeof Experiment>;

export const ExperimentIdParams = Type.Object({ experiment_id: Type.String({ pattern: '^[0-9]{1,18}$' }) });

export const CreateExperimentRequest = Type.Object(
  {
    name: ExperimentName,
    artifact_location: Type.Optional(Type.String({ maxLength: 2000 })),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateExperimentRequest = Static<typeof CreateExperimentRequest>;

export const UpdateExperimentRequest = Type.Object(
  { new_name: ExperimentName },
  { additionalProperties: false },
);

export const SearchExperimentsQuery = Type.Object({
  view_type: Type.Optional(ViewType),
  name_like: Type.Optional(Type.String({ maxLength: MAX_NAME_LENGTH })),
  max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  page_token: Type.Optional(Type.String({ maxLength: 4096 })),
});
export type SearchExperimentsQuery = Static<typeof SearchExperimentsQuery>;

export const ExperimentResponse = Type.Object({ experiment: Experiment });
export const ExperimentListResponse = Type.Object({
  experiments: Type.Array(Experiment),
  next_page_token: Type.Optional(Type.String()),
});
export type ExperimentListResponse = Static<typeof ExperimentListResponse>;

export const SetTagRequest = Type.Object({ value: Tag.properties.value }, { additionalProperties: false });
export const TagKeyQuery = Type.Object({ key: Tag.properties.key });
