import { createHttpClient } from './http'
import { createIpcClient } from './ipc'
import type { GateClient } from './types'

export type { ConnectionState, GateClient } from './types'
export { describeError, fieldIssues } from './errors'

/** IPC inside the Electron window; HTTP+WebSocket when the headless host serves this page to a browser. */
export function createGateClient(): GateClient {
  return window.gateBridge ? createIpcClient(window.gateBridge) : createHttpClient()
}
