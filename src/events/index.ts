export { EventBus, type EventHandler } from './event-bus.js';
export {
  EVENTS_CHANNEL,
  type EventEnvelope,
  latestEventId,
  publishEvent,
  readEventsAfter,
} from './outbox.js';
