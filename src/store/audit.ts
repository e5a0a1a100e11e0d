import type { Transaction } from 'kysely';
import type { RequestContext } from '../core/index.js';
import type { Database, Db } from './database.js';

/**
 * One audit row per metadata-changing call, written with the caller's transaction so the change and its
 * record commit (or vanish) together. Metric points and predictions are data, not metadata: no rows.
 */
export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntryRow {
  id: number;
  projectId: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  at: number;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actor?: string | undefined;
  /** Return entries with id below this (newest first paging). */
  beforeId?: number | undefined;
  limit: number;
}

export async function writeAudit(
  trx: Transaction<Database> | Db,
  ctx: RequestContext,
  record: AuditRecord,
  at: number = Date.now(),
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      project_id: ctx.projectId,
      actor: ctx.actor.name,
      action: record.action,
      entity_type: record.entityType,
      entity_id: record.entityId,
      at,
      before: record.before === undefined ? null : JSON.stringify(record.before),
      after: record.after === undefined ? null : JSON.stringify(record.after),
    })
    .execute();
}

export async function listAudit(db: Db, projectId: string, filter: AuditFilter): Promise<AuditEntryRow[]> {
  let q = db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId);
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.actor) q = q.where('actor', '=', filter.actor);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    at: r.at,
    before: r.before ?? undefined,
    after: r.after ?? undefined,
  }));
}
