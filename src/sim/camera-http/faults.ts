import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'

/** What a simulated camera does wrong on purpose: answer slowly, refuse every password, answer garbage, hang up. */
export type FaultMode = 'none' | 'slow' | 'refuse-auth' | 'garbage' | 'disconnect'

export class Faults {
  mode: FaultMode = 'none'
  slowMs = 3_000

  set(mode: FaultMode, slowMs?: number): void {
    this.mode = mode
    if (slowMs !== undefined) this.slowMs = slowMs
  }

  /** Applies the fault to an API request; true when the request was answered (or dropped) by it. */
  async apply(request: IncomingMessage, response: ServerResponse, challenge: () => string): Promise<boolean> {
    switch (this.mode) {
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, this.slowMs))
        return false
      case 'refuse-auth':
        response.writeHead(401, { 'WWW-Authenticate': challenge(), 'Content-Type': 'text/plain' }).end('Unauthorized')
        return true
      case 'garbage':
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(randomBytes(48))
        return true
      case 'disconnect':
        request.socket.destroy()
        return true
      default:
        return false
    }
  }
}
