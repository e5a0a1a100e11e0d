import type {
  AuditEntry as WireAuditEntry,
  Dataset as WireDataset,
  DatasetVersion as WireDatasetVersion,
  Experiment as WireExperiment,
  Run as WireRun,
  RunInfo as WireRunInfo,
  SchemaContract as WireSchemaContract,
  StoredValidationReport as WireStoredReport,
  TableProfile as WireTableProfile,
  Transform as WireTransform,
} from '../contracts/index.js';
import { toWireNumber } from '../contracts/index.js';
import type {
  Dataset,
  DatasetVersion,
  SchemaContract,
  StoredReport,
  TableProfile,
  VersionSource,
} from '../data/index.js';
import type { StoredTransform } from '../features/index.js';
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

export function presentDatasetVersion(v: DatasetVersion): WireDatasetVersion {
  const out: WireDatasetVersion = {
    dataset: v.dataset,
    version: v.version,
    content_hash: v.contentHash,
    row_count: v.rowCount,
    bytes: v.bytes,
    schema: v.schema,
    source: presentSource(v.source),
    artifact_path: v.artifactPath,
    created_by: v.createdBy,
    created_at: v.createdAt,
  };
  if (v.parent) out.parent = { dataset: v.parent.dataset, version: v.parent.version };
  if (v.contractCheck) out.contract_check = v.contractCheck;
  return out;
}

function presentSource(s: VersionSource): WireDatasetVersion['source'] {
  const out: WireDatasetVersion['source'] = { kind: s.kind };
  if (s.format !== undefined) out.format = s.format;
  if (s.fileName !== undefined) out.file_name = s.fileName;
  if (s.server !== undefined) out.server = s.server;
  if (s.query !== undefined) out.query = s.query;
  if (s.split !== undefined) out.split = s.split;
  if (s.params !== undefined) out.params = s.params;
  return out;
}

export function presentContract(c: SchemaContract): WireSchemaContract {
  const out: WireSchemaContract = { columns: c.columns, on_violation: c.onViolation };
  if (c.target !== undefined) out.target = c.target;
  if (c.fromVersion !== undefined) out.from_version = c.fromVersion;
  return out;
}

/** The domain profile already uses the wire's (one-word) field names. */
export function presentProfile(p: TableProfile): WireTableProfile {
  return p;
}

export function presentDataset(d: Dataset): WireDataset {
  const out: WireDataset = {
    name: d.name,
    description: d.description,
    created_by: d.createdBy,
    created_at: d.createdAt,
    version_count: d.versionCount,
  };
  if (d.latestVersion) out.latest_version = presentDatasetVersion(d.latestVersion);
  if (d.contract) out.contract = presentContract(d.contract);
  if (d.validationRules) out.validation_rules = d.validationRules;
  return out;
}

/** Drops undefined fields so optional ones are absent rather than null on the wire. */
export function withToken<T extends object>(
  body: T,
  token: string | undefined,
): T & { next_page_token?: string } {
  return token === undefined ? body : { ...body, next_page_token: token };
}

export function presentReport(r: StoredReport): WireStoredReport {
  return {
    id: r.id,
    dataset: r.dataset,
    version: r.version,
    passed: r.passed,
    rules: r.rules,
    report: r.report,
    created_by: r.createdBy,
    created_at: r.createdAt,
  };
}

export function presentTransform(t: StoredTransform): WireTransform {
  return {
    id: t.id,
    name: t.name,
    dataset: t.dataset,
    dataset_version: t.datasetVersion,
    config: t.config,
    spec: t.spec,
    created_by: t.createdBy,
    created_at: t.createdAt,
  };
}
