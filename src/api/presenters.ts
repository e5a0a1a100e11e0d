import type {
  AuditEntry as WireAuditEntry,
  Experiment as WireExperiment,
  Run as WireRun,
  RunInfo as WireRunInfo,
} from '../contracts/index.js';
import { toWireNumber } from '../contracts/index.js';
import type { AuditEntryRow } from '../store/index.js';
import type { Experiment, Run, RunInfo } from '../tracking/index.js';

/** Domain entity -> wire schema. The one place that knows both shapes. */
export function presentExperiment(e: Experiment): WireExperiment {
  return {
    experiment_id: e.id,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.creationTime,
    last_update_time: e.lastUpdateTime,
    tags: e.tags,
  };
}

export function presentRunInfo(i: RunInfo): WireRunInfo {
  const info: WireRunInfo = {
    run_id: i.runId,
    run_uuid: i.runId,
    run_name: i.name,
    experiment_id: i.experimentId,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    artifact_uri: i.artifactUri,
    lifecycle_stage: i.lifecycleStage,
  };
  if (i.endTime !== undefined) info.end_time = i.endTime;
  return info;
}

export function presentRun(r: Run): WireRun {
  return {
    info: presentRunInfo(r.info),
    data: {
      metrics: r.metrics.map((m) => ({
        key: m.key,
        value: toWireNumber(m.value),
        timestamp: m.timestamp,
        step: m.step,
      })),
      params: r.params,
      tags: r.tags,
    },
  };
}

export function presentAudit(a: AuditEntryRow): WireAuditEntry {
  const entry: WireAuditEntry = {
    id: a.id,
    project_id: a.projectId,
    actor: a.actor,
    action: a.action,
    entity_type: a.entityType,
    entity_id: a.entityId,
    at: a.at,
  };
  if (a.before !== undefined) entry.before = a.before;
  if (a.after !== undefined) entry.after = a.after;
  return entry;
}

/** Drops undefined fields so optional ones are absent rather than null on the wire. */
export function withToken<T extends object>(
  body: T,
  token: string | undefined,
): T & { next_page_token?: string } {
  return token === undefined ? body : { ...body, next_page_token: token };
}
