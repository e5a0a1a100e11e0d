import type { RunStatus } from '../store/index.js';

/** Domain shapes of tracking (camelCase); the api layer converts them to the wire schema. */
export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'active' | 'deleted' | 'all';
export type { RunStatus };

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  id: string;
  projectId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: KeyValue[];
}

export interface RunInfo {
  runId: string;
  projectId: string;
  experimentId: string;
  name: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | undefined;
  lifecycleStage: LifecycleStage;
  artifactUri: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** One metric's history in columns (typed arrays): what charts and analysis want, and cheap to build. */
export interface MetricSeries {
  key: string;
  steps: Float64Array;
  timestamps: Float64Array;
  values: Float64Array;
}

export interface Run {
  info: RunInfo;
  metrics: MetricPoint[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string | undefined;
}

export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number | undefined;
  step?: number | undefined;
}

export interface BatchInput {
  metrics?: MetricInput[] | undefined;
  params?: KeyValue[] | undefined;
  tags?: KeyValue[] | undefined;
}
