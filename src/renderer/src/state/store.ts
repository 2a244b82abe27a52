import { createStore } from 'zustand/vanilla'
import type { AppInfo, Passage, SyncStatus } from '@shared/contract'
import type { ConnectionState } from '../api/types'
import { lastPassagePerLane, newestFirst, upsertPassage, withLastPassage, type LastPassageByLane } from './passages'

export interface Snapshot {
  info: AppInfo
  passages: Passage[]
  sync: SyncStatus
}

export interface GateState {
  info: AppInfo | null
  /** Newest first, at most PASSAGE_LIMIT. */
  passages: Passage[]
  lastByLane: LastPassageByLane
  sync: SyncStatus | null
  connection: ConnectionState
  /** Why the last full load failed; cleared by the next successful one. */
  loadError: string | null

  snapshotLoaded(snapshot: Snapshot): void
  loadFailed(message: string): void
  passageReceived(passage: Passage): void
  syncStatusReceived(sync: SyncStatus): void
  connectionChanged(connection: ConnectionState): void
}

export type GateStore = ReturnType<typeof createGateStore>

export function createGateStore() {
  return createStore<GateState>()((set) => ({
    info: null,
    passages: [],
    lastByLane: {},
    sync: null,
    connection: 'connecting',
    loadError: null,

    snapshotLoaded: ({ info, passages, sync }) =>
      set((state) => ({
        info,
        sync,
        passages: newestFirst(passages),
        lastByLane: lastPassagePerLane(passages, state.lastByLane),
        loadError: null
      })),
    loadFailed: (message) => set({ loadError: message }),
    passageReceived: (passage) =>
      set((state) => ({
        passages: upsertPassage(state.passages, passage),
        lastByLane: withLastPassage(state.lastByLane, passage)
      })),
    syncStatusReceived: (sync) => set({ sync }),
    connectionChanged: (connection) => set({ connection })
  }))
}
