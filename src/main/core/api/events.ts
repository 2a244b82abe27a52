import type { EventName, EventPayload } from '@shared/contract'

export type EventListener = (event: EventName, payload: unknown) => void

/** Fan-out of contract events to every connected transport (IPC windows, WebSocket clients) and to areas in main. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload)
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Listens to one event inside main (an area reacting to another's news without knowing that area). */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((name, payload) => {
      if (name === event) listener(payload as EventPayload<E>)
    })
  }
}
