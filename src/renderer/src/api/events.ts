import { events, type EventName, type EventPayload } from '@shared/contract'
import { reportViolation } from './reply'

type Listener = (payload: never) => void

function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name)
}

/** Fans validated contract events out to subscribers; unknown events and malformed payloads are logged and dropped. */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>()

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  dispatch(name: string, payload: unknown): void {
    if (!isEventName(name)) {
      console.warn(`unknown event from main: ${name}`)
      return
    }
    const parsed = events[name].safeParse(payload)
    if (!parsed.success) {
      reportViolation(`事件 ${name} 的内容不符合接口约定`, parsed.error)
      return
    }
    for (const listener of this.listeners.get(name) ?? []) (listener as (payload: unknown) => void)(parsed.data)
  }
}
