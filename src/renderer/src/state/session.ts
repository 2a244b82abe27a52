import type { CommandInput } from '@shared/contract'
import { describeError, type GateClient } from '../api'
import { PASSAGE_LIMIT } from './passages'
import type { GateStore } from './store'

/** What the UI can do: the store kept in step with main, and the commands that change something. */
export interface Session {
  store: GateStore
  /** The API itself, for panels that fetch their own data (e.g. dead letters). */
  api: GateClient
  reload(): Promise<void>
  submitPlate(input: CommandInput<'plate.submit'>): Promise<void>
  syncNow(): Promise<void>
}

/**
 * Feeds main's events into the store and loads the whole state on every (re)connection: events sent while the link
 * was down are lost, so a fresh snapshot is the only way to be sure the board is current.
 */
export function startSession(api: GateClient, store: GateStore): Session {
  const state = () => store.getState()
  api.subscribe('passage.recorded', (passage) => state().passageReceived(passage))
  api.subscribe('passage.updated', (passage) => state().passageReceived(passage))
  api.subscribe('sync.status', (sync) => state().syncStatusReceived(sync))

  async function reload(): Promise<void> {
    try {
      const [info, passages, sync] = await Promise.all([
        api.invoke('app.info', {}),
        api.invoke('passages.list', { limit: PASSAGE_LIMIT }),
        api.invoke('sync.status', {})
      ])
      state().snapshotLoaded({ info, passages, sync })
    } catch (error) {
      state().loadFailed(describeError(error))
    }
  }

  api.watchConnection((connection) => {
    state().connectionChanged(connection)
    if (connection === 'connected') void reload()
  })

  return {
    store,
    api,
    reload,
    async submitPlate(input) {
      // The journal follows the events only: the reply is a snapshot from commit time, and the upload may already
      // have been reported by 'passage.updated' before it arrives.
      await api.invoke('plate.submit', input)
    },
    async syncNow() {
      const sync = await api.invoke('sync.now', {})
      state().syncStatusReceived(sync)
    }
  }
}
