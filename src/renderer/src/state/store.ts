import { createStore } from 'zustand/vanilla'
import type { Alarm, AppInfo, DeviceHealthView, LaneState, Passage, PlatformLink, SessionInfo, SyncStatus } from '@shared/contract'
import type { ConnectionState } from '../api/types'
import type { FeatureId } from '../features/feature'
import type { Locale } from '../i18n/messages'
import type { LaneActivity } from './lanes'
import type { LedgerDialog } from './ledgers'
import { lastPassagePerLane, newestFirst, upsertPassage, withLastPassage, type LastPassageByLane } from './passages'

export interface Snapshot {
  info: AppInfo
  passages: Passage[]
  sync: SyncStatus
}

/** Parts of the board loaded apart from the snapshot: one failing must not blank the others. */
export type BoardPart = 'lanes' | 'alarms' | 'devices' | 'platform'

/** The one dialog open at a time; keyboard shortcuts pause while it is. */
export type Dialog =
  /** `passageId`/`plate`: the truck the guard saw when the dialog opened; main refuses if the lane holds another. */
  | { kind: 'release' | 'refuse'; laneId: string; passageId: number; plate: string }
  | { kind: 'correct'; laneId: string; passageId: number | null }
  | { kind: 'barrier'; laneId: string; action: 'open' | 'close' }
  | { kind: 'unplated'; laneId: string }
  | { kind: 'photos'; passage: Passage }
  | { kind: 'ack'; alarm: Alarm }
  | { kind: 'handover' }
  | { kind: 'ledger'; ledger: LedgerDialog }

/** Fields the keyboard can send the cursor to: the shortcut asks, the field's component focuses itself. */
export type FocusTarget = 'plate-entry' | 'journal-filter'

/** The board's first screen, and the one after a logout. */
export const FIRST_PANEL: FeatureId = 'journal'

export interface GateState {
  info: AppInfo | null
  /** Null until main has said who is logged in here. */
  session: SessionInfo | null
  /** Newest first, at most PASSAGE_LIMIT. */
  passages: Passage[]
  lastByLane: LastPassageByLane
  /** Counts passage events, so a filtered journal knows to ask main again. */
  passageEvents: number
  laneStates: Readonly<Record<string, LaneState>>
  alarms: Alarm[]
  devices: DeviceHealthView[]
  partErrors: Readonly<Partial<Record<BoardPart, string>>>
  sync: SyncStatus | null
  connection: ConnectionState
  /** Why the last full load failed; cleared by the next successful one. */
  loadError: string | null
  activeLaneId: string | null
  /** The screen shown under the lanes (a tab of the feature table). */
  panel: FeatureId
  focusRequest: FocusTarget | null
  /** Per lane: an action running (re-capture) and the last outcome shown on the tile. */
  laneActivity: Readonly<Record<string, LaneActivity>>
  dialog: Dialog | null
  locale: Locale
  /** How many refused trucks have sounded the alert since the page loaded. */
  refusalAlerts: number
  /** How many forced passes (闯岗) have sounded their alarm since the page loaded. */
  forcedPassAlerts: number,
  /** The one platform status (every contact: verification, uploads, probe); null until main sent it. */
  platformLink: PlatformLink | null
  /** The waiting truck's lane the guard switched to (Tab / the list); the oldest waiting one when null or gone. */
  attentionPick: string | null

  snapshotLoaded(snapshot: Snapshot): void
  loadFailed(message: string): void
  passageReceived(passage: Passage): void
  syncStatusReceived(sync: SyncStatus): void
  connectionChanged(connection: ConnectionState): void
  infoLoaded(info: AppInfo): void
  sessionChanged(session: SessionInfo): void
  laneStatesLoaded(states: LaneState[]): void
  laneStateReceived(state: LaneState): void
  alarmsLoaded(alarms: Alarm[]): void
  alarmReceived(alarm: Alarm): void
  devicesLoaded(devices: DeviceHealthView[]): void
  deviceReceived(device: DeviceHealthView): void
  partFailed(part: BoardPart, message: string | null): void
  selectLane(laneId: string): void
  showPanel(panel: FeatureId): void
  requestFocus(target: FocusTarget): void
  focusDone(): void
  laneActivityChanged(laneId: string, activity: LaneActivity): void
  openDialog(dialog: Dialog): void
  closeDialog(): void
  setLocale(locale: Locale): void
  refusalAlerted(): void
  forcedPassAlerted(): void,
  platformLinkReceived(link: PlatformLink): void
  pickAttention(laneId: string | null): void
}

export type GateStore = ReturnType<typeof createGateStore>

/**
 * Open alarms, newest first: an acknowledged one leaves the list, except a device alarm not yet resolved (its device
 * still off: acknowledged is not resolved), which leaves once it is both acknowledged and resolved.
 */
export function upsertAlarm(alarms: readonly Alarm[], alarm: Alarm): Alarm[] {
  const others = alarms.filter((existing) => existing.id !== alarm.id)
  const closed = alarm.acknowledgedAt !== null && alarm.resolvedAt !== null
  return closed ? others : [alarm, ...others].sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || b.id - a.id)
}

export function createGateStore(locale: Locale = 'zh') {
  return createStore<GateState>()((set) => ({
    info: null,
    session: null,
    passages: [],
    lastByLane: {},
    passageEvents: 0,
    laneStates: {},
    alarms: [],
    devices: [],
    partErrors: {},
    sync: null,
    connection: 'connecting',
    loadError: null,
    activeLaneId: null,
    panel: FIRST_PANEL,
    focusRequest: null,
    laneActivity: {},
    dialog: null,
    locale,
    refusalAlerts: 0,
    forcedPassAlerts: 0,
    platformLink: null,
    attentionPick: null,

    snapshotLoaded: ({ info, passages, sync }) =>
      set((state) => ({
        info,
        sync,
        passages: newestFirst(passages),
        lastByLane: lastPassagePerLane(passages, state.lastByLane),
        activeLaneId: state.activeLaneId ?? info.lanes[0]?.id ?? null,
        loadError: null
      })),
    loadFailed: (message) => set({ loadError: message }),
    passageReceived: (passage) =>
      set((state) => ({
        passages: upsertPassage(state.passages, passage),
        lastByLane: withLastPassage(state.lastByLane, passage),
        passageEvents: state.passageEvents + 1
      })),
    syncStatusReceived: (sync) => set({ sync }),
    connectionChanged: (connection) => set({ connection }),
    infoLoaded: (info) => set((state) => ({ info, activeLaneId: state.activeLaneId ?? info.lanes[0]?.id ?? null })),
    sessionChanged: (session) => set(session.actor ? { session } : { session, dialog: null, panel: FIRST_PANEL, laneActivity: {} }),
    laneStatesLoaded: (states) => set({ laneStates: Object.fromEntries(states.map((lane) => [lane.laneId, lane])) }),
    laneStateReceived: (lane) => set((state) => ({ laneStates: { ...state.laneStates, [lane.laneId]: lane } })),
    alarmsLoaded: (alarms) => set({ alarms: alarms.reduce(upsertAlarm, [] as Alarm[]) }),
    alarmReceived: (alarm) => set((state) => ({ alarms: upsertAlarm(state.alarms, alarm) })),
    devicesLoaded: (devices) => set({ devices }),
    deviceReceived: (device) => set((state) => ({ devices: [...state.devices.filter((known) => known.id !== device.id), device] })),
    partFailed: (part, message) =>
      set((state) => {
        const partErrors = { ...state.partErrors }
        if (message) partErrors[part] = message
        else delete partErrors[part]
        return { partErrors }
      }),
    selectLane: (laneId) => set({ activeLaneId: laneId }),
    showPanel: (panel) => set({ panel }),
    requestFocus: (target) => set({ focusRequest: target }),
    focusDone: () => set({ focusRequest: null }),
    laneActivityChanged: (laneId, activity) => set((state) => ({ laneActivity: { ...state.laneActivity, [laneId]: activity } })),
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
    setLocale: (locale) => set({ locale }),
    refusalAlerted: () => set((state) => ({ refusalAlerts: state.refusalAlerts + 1 })),
    forcedPassAlerted: () => set((state) => ({ forcedPassAlerts: state.forcedPassAlerts + 1 })),
    platformLinkReceived: (platformLink) => set({ platformLink }),
    pickAttention: (attentionPick) => set({ attentionPick })
  }))
}
