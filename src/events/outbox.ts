import { sql } from 'kysely';
import type { Db, Tx } from '../store/index.js';

/** One NOTIFY channel for all topics; listeners read the outbox for the rows since their last id. */
export const EVENTS_CHANNEL = 'cyclops_events';

export interface EventEnvelope<T = unknown> {
  id: number;
  projectId: string;
  topic: string;
  payload: T;
  createdAt: number;
}

/**
 * Publishes an event inside the caller's transaction: the outbox row and the change commit together,
 * and NOTIFY is delivered only on commit (a rolled-back change announces nothing).
 */
export async function publishEvent(
  trx: Tx | Db,
  projectId: string,
  topic: string,
  payload: unknown,
): Promise<number> {
  const row = await trx
    .insertInto('outbox')
    .values({ project_id: projectId, topic, payload: JSON.stringify(payload), created_at: Date.now() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(row.id)})`.execute(trx);
  return row.id;
}

export async function readEventsAfter(db: Db, afterId: number, limit = 1000): Promise<EventEnvelope[]> {
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    topic: r.topic,
    payload: r.payload,
    createdAt: r.created_at,
  }));
}

export async function latestEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}
