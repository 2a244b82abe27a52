/**
 * Request/reply over a half-duplex serial line: one request on the bus at a time, the reply found in the bytes that
 * follow by a protocol's `scan`, a timeout when it never comes. Used by the Modbus barrier and the LED display.
 */
import type { SerialLink } from './link'

export interface Scan<T> {
  /** The reply, once complete and intact. */
  reply: T | null
  /** Bytes to drop from the front of the receive buffer (garbage, and the reply when found). */
  consumed: number
  /** Candidate replies rejected for a bad checksum. */
  crcErrors: number
}

/**
 * Why an exchange failed: `offline` (nothing came back, or no port) or `error` (something wrong came back).
 * `retryable`: asking again at once may help (no answer, a corrupted answer), unlike a refusal or a missing port.
 */
export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly status: 'offline' | 'error',
    readonly retryable = false
  ) {
    super(message)
    this.name = 'ExchangeError'
  }
}

export class Exchange {
  private rx: Buffer = Buffer.alloc(0)
  private waiting: ((bytes: Buffer | null) => void) | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private stopped = false

  constructor(
    private readonly link: SerialLink,
    private readonly timeoutMs: number
  ) {
    link.on('data', (bytes) => {
      this.rx = Buffer.concat([this.rx, bytes])
      this.waiting?.(this.rx)
    })
    link.on('down', () => this.waiting?.(null))
  }

  request<T>(bytes: Buffer, scan: (buffer: Buffer) => Scan<T>): Promise<T> {
    const run = this.queue.then(() => this.exchange(bytes, scan))
    this.queue = run.catch(() => {})
    return run
  }

  /** Fails the exchange in flight and refuses new ones; resolves when the queue is empty. */
  async stop(): Promise<void> {
    this.stopped = true
    this.waiting?.(null)
    await this.queue
  }

  private exchange<T>(bytes: Buffer, scan: (buffer: Buffer) => Scan<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new ExchangeError('stopped', 'offline'))
    if (!this.link.isOpen) return Promise.reject(new ExchangeError(`${this.link.options.path} is not open`, 'offline'))
    // Whatever arrived between exchanges (late replies, line noise) cannot be the answer to this request.
    this.rx = Buffer.alloc(0)
    let crcErrors = 0
    return new Promise<T>((resolve, reject) => {
      const finish = (outcome: { reply: T } | { error: ExchangeError }) => {
        clearTimeout(timer)
        this.waiting = null
        if ('reply' in outcome) resolve(outcome.reply)
        else reject(outcome.error)
      }
      const timer = setTimeout(() => {
        finish({
          error:
            crcErrors > 0
              ? new ExchangeError(`reply failed the CRC check (${crcErrors}×)`, 'error', true)
              : new ExchangeError(`no answer within ${this.timeoutMs} ms`, 'offline', true)
        })
      }, this.timeoutMs)
      this.waiting = (buffer) => {
        if (buffer === null) return finish({ error: new ExchangeError(`${this.link.options.path} went away`, 'offline') })
        const result = scan(buffer)
        crcErrors += result.crcErrors
        this.rx = buffer.subarray(result.consumed)
        if (result.reply !== null) finish({ reply: result.reply })
      }
      this.link.write(bytes).catch((error: Error) => finish({ error: new ExchangeError(`write failed: ${error.message}`, 'offline') }))
    })
  }
}
