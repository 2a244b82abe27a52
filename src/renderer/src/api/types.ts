import type { GateApi } from '@shared/contract'

/** 'connecting' only before the first connection; afterwards a drop is 'disconnected' until it is back. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected'

/** The contract's API plus what the UI must know of the link to main. */
export interface GateClient extends GateApi {
  /** Calls the listener with the current state at once, then on every change. */
  watchConnection(listener: (state: ConnectionState) => void): () => void
  /** Opens the event stream (the host accepts it only for a logged-in session); idempotent. */
  connectEvents(): void
  /** Closes it at logout, and stops reconnecting. */
  disconnectEvents(): void
}
