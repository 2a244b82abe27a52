import type { CommandInput, CommandName } from '@shared/contract'
import { EventHub } from './events'
import { readReply } from './reply'
import type { GateClient } from './types'

/** The Electron transport: the preload's bridge, which is up as long as the window is. */
export function createIpcClient(bridge: GateBridge): GateClient {
  const hub = new EventHub()
  bridge.onEvent((event, payload) => hub.dispatch(event, payload))
  return {
    invoke: async <C extends CommandName>(command: C, input: CommandInput<C>) => readReply(command, await bridge.invoke(command, input)),
    subscribe: (event, listener) => hub.subscribe(event, listener),
    watchConnection: (listener) => {
      listener('connected')
      return () => {}
    },
    // Main sends events to the window itself; the session per webContents guards the commands.
    connectEvents: () => {},
    disconnectEvents: () => {}
  }
}
