import type { Actor } from '../core/index.js';
import type { Db } from './database.js';

/**
 * Resolves an actor name to its user record, creating it on first sight (until authentication arrives,
 * a name is all a request carries). Cached: this runs on every request.
 */
export class UserDirectory {
  private readonly cache = new Map<string, Actor>();

  constructor(private readonly db: Db) {}

  async resolve(name: string): Promise<Actor> {
    const hit = this.cache.get(name);
    if (hit) return hit;
    await this.db
      .insertInto('users')
      .values({ name, created_at: Date.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    const actor: Actor = { id: row.id, name: row.name };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(name, actor);
    return actor;
  }
}

export async function projectExists(db: Db, projectId: string): Promise<boolean> {
  const row = await db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst();
  return row !== undefined;
}
