import type { ColumnType, Generated, Kysely } from 'kysely';

/**
 * Row shapes of every table, for Kysely. bigint columns come back as strings from both drivers unless a
 * parser is set; we register parsers (see open-store.ts) so that epoch-millisecond bigints arrive as
 * numbers (safe: they stay below 2^53).
 */
export interface ProjectsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  name: string;
  created_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  project_id: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  at: number;
  before: ColumnType<unknown, string | null, string | null> | null;
  after: ColumnType<unknown, string | null, string | null> | null;
}

export interface OutboxTable {
  id: Generated<number>;
  project_id: string;
  topic: string;
  payload: ColumnType<unknown, string, string>;
  created_at: number;
}

export interface ExperimentsTable {
  experiment_id: Generated<number>;
  project_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
}

export interface KeyValueTable {
  project_id: string;
  key: string;
  value: string;
}

export interface ExperimentTagsTable extends KeyValueTable {
  experiment_id: number;
}

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunsTable {
  run_uuid: string;
  project_id: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: 'active' | 'deleted';
  deleted_time: number | null;
  artifact_uri: string;
}

export interface RunKeyValueTable extends KeyValueTable {
  run_uuid: string;
}

export interface MetricsTable {
  run_uuid: string;
  project_id: string;
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface DatasetsTable {
  id: Generated<number>;
  project_id: string;
  name: string;
  description: Generated<string>;
  created_by: string;
  created_at: number;
  /** SchemaContract as JSON, or null. */
  schema_contract: ColumnType<unknown, string | null | undefined, string | null>;
  /** ValidationRule[] as JSON, run on every new version, or null. */
  validation_rules: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DatasetVersionsTable {
  dataset_id: number;
  project_id: string;
  version: number;
  content_hash: string;
  row_count: number;
  bytes: number;
  schema: ColumnType<unknown, string, string>;
  source: ColumnType<unknown, string, string>;
  /** TableProfile as JSON; null for versions ingested before profiles existed. */
  profile: ColumnType<unknown, string | null | undefined, string | null>;
  parent_dataset_id: number | null;
  parent_version: number | null;
  /** ContractCheck as JSON: the version's schema checked against the dataset's contract; null without one. */
  schema_check: ColumnType<unknown, string | null | undefined, string | null>;
  artifact_path: string;
  created_by: string;
  created_at: number;
}

export interface DatasetValidationReportsTable {
  id: Generated<number>;
  dataset_id: number;
  project_id: string;
  version: number;
  passed: boolean;
  rules: ColumnType<unknown, string, string>;
  report: ColumnType<unknown, string, string>;
  created_by: string;
  created_at: number;
}

export interface TransformsTable {
  id: Generated<number>;
  project_id: string;
  name: string;
  dataset_id: number;
  dataset_version: number;
  /** TransformConfig as JSON. */
  config: ColumnType<unknown, string, string>;
  /** TransformSpec as JSON. */
  spec: ColumnType<unknown, string, string>;
  created_by: string;
  created_at: number;
}

export type TuningStudyStatus = 'running' | 'finished' | 'failed' | 'cancelled';

/** Hyperparameter tuning studies (training/studies); the trials are in tuning_trials. */
export interface TuningStudiesTable {
  id: Generated<number>;
  project_id: string;
  name: string;
  /** The study config as given (json, not jsonb: key order kept); the resolved values are the columns below. */
  config: ColumnType<unknown, string, string>;
  direction: 'maximize' | 'minimize';
  metric: string;
  sampler: 'tpe' | 'random' | 'grid';
  seed: number;
  n_trials: number;
  concurrency: number;
  status: TuningStudyStatus;
  parent_run_id: string | null;
  best_trial: number | null;
  /** Why a study failed or stopped; null otherwise. */
  error: string | null;
  created_by: string;
  created_at: number;
  ended_at: number | null;
}

export interface TuningTrialsTable {
  study_id: number;
  project_id: string;
  number: number;
  params: ColumnType<unknown, string, string>;
  state: 'running' | 'complete' | 'pruned' | 'failed';
  /** double precision: NaN is a value Postgres stores as is. */
  value: number | null;
  /** [step, value] pairs as JSON; a non-finite value is the string 'NaN', 'Infinity' or '-Infinity'. */
  intermediate: ColumnType<unknown, string, string>;
  error: string | null;
  run_id: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  projects: ProjectsTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  runs: RunsTable;
  params: RunKeyValueTable;
  tags: RunKeyValueTable;
  metrics: MetricsTable;
  latest_metrics: MetricsTable;
  datasets: DatasetsTable;
  dataset_validation_reports: DatasetValidationReportsTable;
  transforms: TransformsTable;
  tuning_studies: TuningStudiesTable;
  tuning_trials: TuningTrialsTable;
  dataset_versions: DatasetVersionsTable;
  schema_migrations: SchemaMigrationsTable;
}

export type Db = Kysely<Database>;
