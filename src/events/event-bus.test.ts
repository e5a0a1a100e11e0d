import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestStore, type TestStore } from '../../test/helpers/stores.js';
import { EventBus } from './event-bus.js';
import { publishEvent } from './outbox.js';

describe.each(BACKENDS)('event bus on %s', (backend) => {
  let t: TestStore;
  let bus: EventBus;
  beforeAll(async () => {
    t = await openTestStore(backend);
    bus = new EventBus(t.store, 200);
    await bus.start();
  });
  afterAll(async () => {
    await bus.stop();
    await t.dispose();
  });

  it('delivers events committed in a transaction, in order', async () => {
    const seen: unknown[] = [];
    const off = bus.subscribe('alias.moved', (e) => {
      seen.push(e.payload);
    });
    await t.store.db.transaction().execute(async (trx) => {
      await publishEvent(trx, 'default', 'alias.moved', { n: 1 });
      await publishEvent(trx, 'default', 'alias.moved', { n: 2 });
    });
    await publishEvent(t.store.db, 'default', 'other.topic', { n: 3 });
    await waitFor(() => seen.length >= 2);
    await bus.sync();
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    off();
  });

  it('announces nothing for a rolled-back transaction', async () => {
    const seen: unknown[] = [];
    bus.subscribe('dataset.created', (e) => {
      seen.push(e.payload);
    });
    await expect(
      t.store.db.transaction().execute(async (trx) => {
        await publishEvent(trx, 'default', 'dataset.created', { lost: true });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await publishEvent(t.store.db, 'default', 'dataset.created', { kept: true });
    await waitFor(() => seen.length >= 1);
    await bus.sync();
    expect(seen).toEqual([{ kept: true }]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
