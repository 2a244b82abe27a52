import type { Barrier, BarrierSignals, DeviceHealth, DeviceStatus } from '../../src/main/devices'

/**
 * A barrier controller's signals without a wire: until the Modbus barrier simulator lands, lane tests and the lane
 * benchmark drive the driver through the Barrier interface with this. `open()` acknowledges and raises the arm on
 * the next turn of the event loop, `lower()` lowers it; the test moves the truck over the loop.
 */
export class LoopbackBarrier implements Barrier {
  readonly opens: number[] = []
  private current: BarrierSignals = { arm: 'down', loopOccupied: false, at: Date.now() }
  private status: DeviceStatus = 'online'
  private readonly signalListeners = new Set<(signals: BarrierSignals) => void>()
  private readonly healthListeners = new Set<(health: DeviceHealth) => void>()

  constructor(
    readonly laneId: string,
    /** Called synchronously inside open(), before the acknowledgement: for latency measurements. */
    private readonly onOpen: () => void = () => {}
  ) {}

  health(): DeviceHealth {
    return { id: `${this.laneId}/barrier`, kind: 'barrier', laneId: this.laneId, status: this.status, lastSeenAt: Date.now(), error: this.status === 'online' ? null : '串口无应答' }
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    this.healthListeners.add(listener)
    return () => this.healthListeners.delete(listener)
  }

  async stop(): Promise<void> {}

  async open(): Promise<void> {
    this.onOpen()
    this.opens.push(Date.now())
    setImmediate(() => this.set({ arm: 'up' }))
  }

  async lower(): Promise<void> {
    setImmediate(() => this.set({ arm: 'down' }))
  }

  signals(): BarrierSignals {
    return this.current
  }

  onSignals(listener: (signals: BarrierSignals) => void): () => void {
    this.signalListeners.add(listener)
    return () => this.signalListeners.delete(listener)
  }

  truckOnLoop(): void {
    this.set({ loopOccupied: true })
  }

  truckOffLoop(): void {
    this.set({ loopOccupied: false })
  }

  reportStatus(status: DeviceStatus): void {
    this.status = status
    for (const listener of this.healthListeners) listener(this.health())
  }

  private set(change: Partial<Omit<BarrierSignals, 'at'>>): void {
    this.current = { ...this.current, ...change, at: Date.now() }
    for (const listener of this.signalListeners) listener(this.current)
  }
}
