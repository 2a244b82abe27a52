import type { EventName, EventPayload } from '@shared/contract'

export type EventListener = (event: EventName, payload: unknown) => void

/** Fan-out of contract events to every connected transport (IPC windows, WebSocket clients). */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload)
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
