import type { ApiReply } from '@shared/contract'

declare global {
  /** What src/preload exposes to the sandboxed renderer, and nothing more. */
  interface GateBridge {
    invoke(command: string, input: unknown): Promise<ApiReply<unknown>>
    onEvent(listener: (event: string, payload: unknown) => void): () => void
  }

  interface Window {
    gateBridge?: GateBridge
  }
}

export {}
