import type { Store } from '../store/index.js';
import { EVENTS_CHANNEL, type EventEnvelope, latestEventId, readEventsAfter } from './outbox.js';

export type EventHandler = (event: EventEnvelope) => void | Promise<void>;

/**
 * Delivers outbox events to in-process subscribers. A NOTIFY only says "something new": the bus then
 * reads every row after the last one it delivered, so a burst of notifications costs one read, and
 * events committed out of id order are still delivered. A periodic poll covers a lost notification
 * (a dropped LISTEN connection) so nothing is missed, only late.
 */
export class EventBus {
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private lastId = 0;
  private draining: Promise<void> | undefined;
  private again = false;
  private unlisten: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly pollMs = 5000,
  ) {}

  async start(): Promise<void> {
    this.lastId = await latestEventId(this.store.db);
    this.unlisten = await this.store.listen(EVENTS_CHANNEL, () => this.kick());
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Resolves once every event committed before the call has been delivered. */
  async sync(): Promise<void> {
    this.kick();
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    while (this.draining) await this.draining;
  }

  private kick(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await readEventsAfter(this.store.db, this.lastId).catch(() => []);
      if (events.length === 0) return;
      for (const event of events) {
        this.lastId = event.id;
        for (const handler of this.handlers.get(event.topic) ?? []) {
          try {
            await handler(event);
          } catch {
            // A failing subscriber must not stop delivery to the others; it logs on its own side.
          }
        }
      }
    }
  }
}
