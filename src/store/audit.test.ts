import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestStore, type TestStore } from '../../test/helpers/stores.js';
import type { RequestContext } from '../core/index.js';
import { type AuditEntryRow, listAudit, writeAudit } from './audit.js';

const alice: RequestContext = { actor: { id: 1, name: 'alice' }, projectId: 'default' };
const bob: RequestContext = { actor: { id: 2, name: 'bob' }, projectId: 'default' };
const otherProject: RequestContext = { actor: { id: 1, name: 'alice' }, projectId: 'other' };

class Rollback extends Error {}

describe.each(BACKENDS)('audit log on %s', (backend) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(backend);
    await t.store.db.insertInto('projects').values({ id: 'other', name: 'Other', created_at: 1 }).execute();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const ids = (rows: AuditEntryRow[]) => rows.map((r) => r.id);

  it('round-trips a record', async () => {
    await writeAudit(
      t.store.db,
      alice,
      {
        action: 'experiment.create',
        entityType: 'roundtrip',
        entityId: 'e1',
        before: { name: 'old', tags: ['a'] },
        after: { name: 'new', n: 1.5, nested: { ok: true } },
      },
      1_700_000_000_123,
    );
    await writeAudit(t.store.db, alice, {
      action: 'experiment.delete',
      entityType: 'roundtrip',
      entityId: 'e2',
    });
    const rows = await listAudit(t.store.db, 'default', { entityType: 'roundtrip', limit: 10 });
    expect(rows).toHaveLength(2);
    const [deleted, created] = rows as [AuditEntryRow, AuditEntryRow];
    expect(created).toEqual({
      id: expect.any(Number),
      projectId: 'default',
      actor: 'alice',
      action: 'experiment.create',
      entityType: 'roundtrip',
      entityId: 'e1',
      at: 1_700_000_000_123,
      before: { name: 'old', tags: ['a'] },
      after: { name: 'new', n: 1.5, nested: { ok: true } },
    });
    expect(typeof created.at).toBe('number');
    expect(deleted.before).toBeUndefined();
    expect(deleted.after).toBeUndefined();
    expect(deleted.at).toBeGreaterThan(1_700_000_000_123);
    expect(deleted.id).toBeGreaterThan(created.id);
  });

  it('round-trips a string and an array as before/after', async () => {
    await writeAudit(t.store.db, alice, {
      action: 'tag.set',
      entityType: 'jsonkinds',
      entityId: 'j1',
      before: 'plain "quoted" text',
      after: [1, 'two', null],
    });
    const [row] = await listAudit(t.store.db, 'default', { entityType: 'jsonkinds', limit: 1 });
    expect(row?.before).toBe('plain "quoted" text');
    expect(row?.after).toEqual([1, 'two', null]);
  });

  it('a transaction that rolls back leaves no audit row', async () => {
    await expect(
      t.store.db.transaction().execute(async (trx) => {
        await writeAudit(trx, alice, { action: 'run.update', entityType: 'rollback', entityId: 'r1' });
        // The row is visible inside the transaction ...
        expect(await listAudit(trx, 'default', { entityType: 'rollback', limit: 10 })).toHaveLength(1);
        throw new Rollback('undo');
      }),
    ).rejects.toBeInstanceOf(Rollback);
    // ... and gone with it.
    expect(await listAudit(t.store.db, 'default', { entityType: 'rollback', limit: 10 })).toEqual([]);

    await t.store.db.transaction().execute(async (trx) => {
      await writeAudit(trx, alice, { action: 'run.update', entityType: 'rollback', entityId: 'r2' });
    });
    const rows = await listAudit(t.store.db, 'default', { entityType: 'rollback', limit: 10 });
    expect(rows.map((r) => r.entityId)).toEqual(['r2']);
  });

  it('rejects a row for a project that does not exist', async () => {
    const ghost: RequestContext = { actor: { id: 1, name: 'alice' }, projectId: 'no-such-project' };
    await expect(
      writeAudit(t.store.db, ghost, { action: 'x', entityType: 'ghost', entityId: 'g' }),
    ).rejects.toThrow();
  });

  describe('listAudit', () => {
    let all: AuditEntryRow[];
    beforeAll(async () => {
      const rows: [RequestContext, string, string, string][] = [
        [alice, 'model.create', 'model', 'm1'],
        [bob, 'model.update', 'model', 'm1'],
        [alice, 'model.update', 'model', 'm2'],
        [bob, 'run.create', 'run', 'r1'],
        [alice, 'model.delete', 'model', 'm1'],
        [otherProject, 'model.create', 'model', 'm1'],
      ];
      for (const [ctx, action, entityType, entityId] of rows) {
        await writeAudit(t.store.db, ctx, { action, entityType, entityId });
      }
      all = (await listAudit(t.store.db, 'default', { limit: 1000 })).filter((r) =>
        ['model', 'run'].includes(r.entityType),
      );
    });

    it('lists one project, newest first', async () => {
      expect(all.map((r) => `${r.action} ${r.entityId}`)).toEqual([
        'model.delete m1',
        'run.create r1',
        'model.update m2',
        'model.update m1',
        'model.create m1',
      ]);
      expect(ids(all)).toEqual([...ids(all)].sort((a, b) => b - a));
      const other = await listAudit(t.store.db, 'other', { limit: 10 });
      expect(other.map((r) => [r.projectId, r.action])).toEqual([['other', 'model.create']]);
    });

    it('filters by entity', async () => {
      const m1 = await listAudit(t.store.db, 'default', { entityType: 'model', entityId: 'm1', limit: 10 });
      expect(m1.map((r) => r.action)).toEqual(['model.delete', 'model.update', 'model.create']);
      const runs = await listAudit(t.store.db, 'default', { entityType: 'run', limit: 10 });
      expect(runs.map((r) => r.entityId)).toEqual(['r1']);
      expect(
        await listAudit(t.store.db, 'default', { entityType: 'model', entityId: 'nope', limit: 10 }),
      ).toEqual([]);
    });

    it('filters by action and by actor, and combines filters', async () => {
      const updates = await listAudit(t.store.db, 'default', { action: 'model.update', limit: 10 });
      expect(updates.map((r) => r.entityId)).toEqual(['m2', 'm1']);
      const byBob = await listAudit(t.store.db, 'default', { actor: 'bob', limit: 10 });
      expect(byBob.map((r) => r.action)).toEqual(['run.create', 'model.update']);
      const aliceOnM1 = await listAudit(t.store.db, 'default', {
        actor: 'alice',
        entityType: 'model',
        entityId: 'm1',
        limit: 10,
      });
      expect(aliceOnM1.map((r) => r.action)).toEqual(['model.delete', 'model.create']);
    });

    it('pages newest first with beforeId', async () => {
      const seen: number[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await listAudit(t.store.db, 'default', { entityType: 'model', limit: 2, beforeId });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page));
        beforeId = page[page.length - 1]?.id;
      }
      expect(seen).toEqual(ids(all.filter((r) => r.entityType === 'model')));
      expect(new Set(seen).size).toBe(seen.length);

      // beforeId is exclusive.
      const newest = all[0] as AuditEntryRow;
      const below = await listAudit(t.store.db, 'default', { limit: 1, beforeId: newest.id });
      expect(below.map((r) => r.id)).toEqual([(all[1] as AuditEntryRow).id]);
    });
  });
});
