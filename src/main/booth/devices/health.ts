import type { DeviceHealth, DeviceKind, DeviceStatus } from './types'

/** Holds one device's health and tells listeners when its status or error changes (not on every good answer). */
export class HealthTracker {
  private current: DeviceHealth
  private readonly listeners = new Set<(health: DeviceHealth) => void>()

  constructor(id: string, kind: DeviceKind, laneId: string | null, initialError = 'not connected yet') {
    this.current = { id, kind, laneId, status: 'offline', lastSeenAt: null, error: initialError }
  }

  get(): DeviceHealth {
    return { ...this.current }
  }

  /** A good answer from the device. */
  seen(at = Date.now()): void {
    const changed = this.current.status !== 'online'
    this.current = { ...this.current, status: 'online', lastSeenAt: at, error: null }
    if (changed) this.notify()
  }

  /** The device stopped answering (offline) or answered wrongly (error). */
  failed(status: Exclude<DeviceStatus, 'online'>, error: string): void {
    const changed = this.current.status !== status || this.current.error !== error
    this.current = { ...this.current, status, error }
    if (changed) this.notify()
  }

  on(listener: (health: DeviceHealth) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private notify(): void {
    const snapshot = this.get()
    for (const listener of this.listeners) listener(snapshot)
  }
}
