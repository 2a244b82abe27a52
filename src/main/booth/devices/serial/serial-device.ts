/**
 * What every serial adapter has in common: one line (a port or tcp://), a health that goes offline whenever the
 * line does, and a stop that closes it. Request/reply protocols add one exchange at a time on top, with every
 * answer (or its absence) feeding the health.
 */
import { z } from 'zod'
import { HealthTracker } from '../health'
import type { Device, DeviceHealth, DeviceIdentity, DeviceKind } from '../types'
import { Exchange, ExchangeError, type Scan } from './exchange'
import { SerialLink, type LinkOptions } from './link'

/** The config fields of every serial device's line (docs/devices.md, "Device paths"). */
export const serialLineFields = {
  /** A serial device path (/dev/ttyUSB0, COM3) or an RS485-to-Ethernet converter as tcp://host:port. */
  path: z.string().min(1, 'device path is required'),
  baudRate: z.number().int().min(1200).max(115_200).default(9600),
  /** How often to retry opening a port that went away (USB adapter unplugged). */
  reconnectMs: z.number().int().min(100).max(60_000).default(2_000)
}

export abstract class SerialDevice implements Device {
  protected readonly link: SerialLink
  protected readonly tracker: HealthTracker
  protected stopped = false

  constructor(identity: DeviceIdentity, kind: DeviceKind, line: LinkOptions) {
    this.tracker = new HealthTracker(identity.id, kind, identity.laneId)
    this.link = new SerialLink({ path: line.path, baudRate: line.baudRate, reconnectMs: line.reconnectMs })
    this.link.on('down', (reason) => this.tracker.failed('offline', reason))
  }

  health(): DeviceHealth {
    return this.tracker.get()
  }

  onHealth(listener: (health: DeviceHealth) => void): () => void {
    return this.tracker.on(listener)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.release()
    await this.link.stop()
  }

  /** Opens the line; called by the adapter once its own listeners are on it. */
  protected connect(): void {
    this.link.start()
  }

  /** Clears the adapter's timers at stop. */
  protected release(): void {}
}

/** A device that answers requests: one on the bus at a time, `timeoutMs` for each answer. */
export abstract class RequestReplyDevice extends SerialDevice {
  protected readonly exchange: Exchange

  constructor(identity: DeviceIdentity, kind: DeviceKind, line: LinkOptions, timeoutMs: number) {
    super(identity, kind, line)
    this.exchange = new Exchange(this.link, timeoutMs)
  }

  override async stop(): Promise<void> {
    this.stopped = true
    this.release()
    await this.exchange.stop()
    await this.link.stop()
  }

  /**
   * Sends `bytes` and finds the answer with `scan`; `read` turns it into the result or throws an ExchangeError (a
   * refusal). A result marks the device seen; a failure sets its health, and is thrown as an ExchangeError.
   */
  protected async ask<R, T>(bytes: Buffer, scan: (buffer: Buffer) => Scan<R>, read: (reply: R) => T): Promise<T> {
    try {
      const result = read(await this.exchange.request(bytes, scan))
      this.tracker.seen()
      return result
    } catch (error) {
      const failure = error instanceof ExchangeError ? error : new ExchangeError((error as Error).message, 'error')
      if (!this.stopped) this.tracker.failed(failure.status, failure.message)
      throw failure
    }
  }
}
