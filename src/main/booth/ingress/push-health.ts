import { HealthTracker, type Device, type DeviceHealth } from '../devices'

/**
 * The health of a camera that pushes its reads: online after a good push, error (with what was wrong) after a bad
 * one — a truncated body, XML that is not an alert, a picture that is not a JPEG — until a good push follows.
 */
export class PushCameraHealth implements Device {
  private readonly tracker: HealthTracker

  constructor(id: string, laneId: string) {
    this.tracker = new HealthTracker(id, 'camera', laneId, '尚未收到推送')
  }

  seen(): void {
    this.tracker.seen()
  }

  failed(message: string): void {
    this.tracker.failed('error', message)
  }

  health(): DeviceHealth {
    return this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.tracker.on(listener)
  }

  async stop(): Promise<void> {}
}
