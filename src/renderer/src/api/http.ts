import { wire, type CommandInput, type CommandName } from '@shared/contract'
import { EventHub } from './events'
import { readReply } from './reply'
import type { ConnectionState, GateClient } from './types'

const FIRST_RETRY_MS = 500
const MAX_RETRY_MS = 10_000

function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** attempt, MAX_RETRY_MS)
}

/** The headless host's transport: commands over HTTP POST, events over one WebSocket that reconnects on its own. */
export function createHttpClient(): GateClient {
  const hub = new EventHub()
  const connection = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = 'connecting'
  let failedAttempts = 0
  let socket: WebSocket | null = null
  let retry: ReturnType<typeof setTimeout> | undefined

  function setState(next: ConnectionState): void {
    if (next === state) return
    state = next
    for (const listener of connection) listener(next)
  }

  function connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
    const current = new WebSocket(`${scheme}://${location.host}${wire.wsEvents}`)
    socket = current
    current.onopen = () => {
      failedAttempts = 0
      setState('connected')
    }
    current.onmessage = (message) => {
      const parsed = parseEventMessage(message.data)
      if (parsed) hub.dispatch(parsed.event, parsed.payload)
    }
    // A failed attempt fires close as well, so close alone drives the retries.
    current.onclose = () => {
      if (socket !== current) return
      setState('disconnected')
      retry = setTimeout(connect, retryDelayMs(failedAttempts++))
    }
  }

  return {
    async invoke<C extends CommandName>(command: C, input: CommandInput<C>) {
      const response = await fetch(`${wire.httpInvokePrefix}${command}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input)
      })
      const reply: unknown = await response.json().catch(() => {
        throw new Error(`主程序返回了无法识别的应答（HTTP ${response.status}）`)
      })
      return readReply(command, reply)
    },
    subscribe: (event, listener) => hub.subscribe(event, listener),
    connectEvents() {
      if (socket) return
      failedAttempts = 0
      connect()
    },
    disconnectEvents() {
      clearTimeout(retry)
      const current = socket
      socket = null
      current?.close()
      setState('connecting')
    },
    watchConnection(listener) {
      connection.add(listener)
      listener(state)
      return () => connection.delete(listener)
    }
  }
}

function parseEventMessage(data: unknown): { event: string; payload: unknown } | null {
  try {
    const message = JSON.parse(String(data)) as { event?: unknown; payload?: unknown }
    return { event: String(message.event), payload: message.payload }
  } catch {
    console.warn('unreadable event message from main', data)
    return null
  }
}
