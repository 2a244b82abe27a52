import { ApiCallError, type CommandInput, type CommandName, type CommandOutput, type Passage } from '@shared/contract'
import { describeError, type GateClient } from '../api'
import { playForcedPassAlarm, playRefusalTone } from '../sound'
import { attentionTarget, waitingTrucks } from './attention'
import { laneActionEnabled, shownOf, type LaneAction } from './lanes'
import { PASSAGE_LIMIT } from './passages'
import type { BoardPart, GateStore } from './store'

/**
 * What the UI can do: the store kept in step with main, and the commands that change something. Components get no
 * raw `invoke`: every command goes through `call`, so none can miss the return to the login page.
 */
export interface Session {
  store: GateStore
  /** Every command goes through here: a reply that the session is gone sends the guard back to the login page. */
  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>
  /** Main's events, for components that follow one themselves (camera frames, ledger changes, storage). */
  subscribe: GateClient['subscribe']
  /** A lane's action, as its button and its key both take it: a dialog for release, refuse and correction; re-capture at once. */
  laneAction(laneId: string, action: LaneAction): Promise<void>
  /**
   * F1–F4: the action on the truck that needs the guard (the oldest waiting, or the one switched to), and only when
   * none waits on the active lane. Returns false when there is no lane to act on.
   */
  keyAction(action: LaneAction): boolean
  reload(): Promise<void>
  login(username: string, password: string): Promise<void>
  logout(): Promise<void>
  handover(input: CommandInput<'auth.handover'>): Promise<void>
  submitPlate(input: CommandInput<'plate.submit'>): Promise<void>
  syncNow(): Promise<void>
}

/** Midnight of today, Beijing time (UTC+8, no daylight saving), as an ISO instant: the journal shows today. */
export function startOfBeijingDay(now = Date.now()): string {
  const offset = 8 * 60 * 60 * 1000
  const day = Math.floor((now + offset) / 86_400_000) * 86_400_000
  return new Date(day - offset).toISOString()
}

/**
 * Feeds main's events into the store and loads the whole state on every (re)connection: events sent while the link
 * was down are lost, so a fresh snapshot is the only way to be sure the board is current. Nothing but app.info and
 * the login page is shown until main says someone is logged in.
 */
export function startSession(api: GateClient, store: GateStore): Session {
  const state = () => store.getState()
  // A snapshot replaces the journal, but it may have been read before a passage that an event has since brought (a
  // login and the event socket's connection each load one, and under load they can resolve out of order): each
  // loading snapshot collects the passages received meanwhile, to lay them over it.
  const receivedWhileLoading = new Set<Passage[]>()
  const received = (passage: Passage) => {
    for (const passages of receivedWhileLoading) passages.push(passage)
    state().passageReceived(passage)
  }
  const announce = (passage: Passage) => {
    received(passage)
    if (passage.decision === 'refuse') {
      playRefusalTone()
      state().refusalAlerted()
    }
  }
  api.subscribe('passage.recorded', announce)
  api.subscribe('passage.updated', received)
  api.subscribe('sync.status', (sync) => state().syncStatusReceived(sync))
  api.subscribe('lane.state', (lane) => state().laneStateReceived(lane))
  api.subscribe('alarm.raised', (alarm) => {
    state().alarmReceived(alarm)
    if (alarm.kind === 'forced_pass') {
      playForcedPassAlarm()
      state().forcedPassAlerted()
    }
  })
  api.subscribe('alarm.updated', (alarm) => state().alarmReceived(alarm))
  api.subscribe('device.health', (device) => state().deviceReceived(device))
  api.subscribe('platform.link', (link) => state().platformLinkReceived(link))

  async function call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
    try {
      return await api.invoke(command, input)
    } catch (error) {
      if (error instanceof ApiCallError && error.error.code === 'unauthenticated' && !command.startsWith('auth.')) signedOut()
      throw error
    }
  }

  function signedOut(): void {
    api.disconnectEvents()
    state().sessionChanged({ actor: null, since: null })
  }

  async function loadPart<T>(part: BoardPart, load: () => Promise<T>, apply: (value: T) => void): Promise<void> {
    try {
      apply(await load())
      state().partFailed(part, null)
    } catch (error) {
      state().partFailed(part, describeError(error))
    }
  }

  async function reload(): Promise<void> {
    const receivedMeanwhile: Passage[] = []
    receivedWhileLoading.add(receivedMeanwhile)
    try {
      // The plant has no lanes, devices or booth journal of its own (its workspace reads the enterprise's views).
      const plant = state().info?.plant === true
      const [info, passages, sync] = await Promise.all([
        call('app.info', {}),
        plant ? Promise.resolve([]) : call('passages.list', { limit: PASSAGE_LIMIT, from: startOfBeijingDay() }),
        call('sync.status', {})
      ])
      state().snapshotLoaded({ info, passages, sync })
      for (const passage of receivedMeanwhile) state().passageReceived(passage)
    } catch (error) {
      state().loadFailed(describeError(error))
    } finally {
      receivedWhileLoading.delete(receivedMeanwhile)
    }
    const lanesToo = state().info?.plant !== true
    await Promise.all([
      lanesToo && loadPart('lanes', () => call('lanes.state', {}), (lanes) => state().laneStatesLoaded(lanes)),
      loadPart('alarms', () => call('alarms.list', { openOnly: true }), (alarms) => state().alarmsLoaded(alarms)),
      lanesToo && loadPart('devices', () => call('devices.health', {}), (devices) => state().devicesLoaded(devices)),
      loadPart('platform', () => call('platform.status', {}), (platform) => state().platformLinkReceived(platform.link))
    ])
  }

  api.watchConnection((connection) => {
    state().connectionChanged(connection)
    if (connection === 'connected' && state().session?.actor) void reload()
  })

  async function begin(): Promise<void> {
    try {
      const [info, session] = await Promise.all([api.invoke('app.info', {}), api.invoke('auth.whoami', {})])
      state().infoLoaded(info)
      state().sessionChanged(session)
      if (session.actor) api.connectEvents()
    } catch (error) {
      state().loadFailed(describeError(error))
    }
  }
  void begin()

  async function laneAction(laneId: string, action: LaneAction): Promise<void> {
    const now = state()
    const shown = shownOf(now.laneStates[laneId], now.lastByLane[laneId])
    if (!laneActionEnabled(action, shown, now.laneActivity[laneId]?.busy ?? false, now.laneStates[laneId])) return
    now.selectLane(laneId)
    if (action !== 'recapture') {
      now.laneActivityChanged(laneId, { busy: false, outcome: null })
      const held = now.laneStates[laneId]?.current?.passageId
      if (action === 'correct') now.openDialog({ kind: 'correct', laneId, passageId: shown?.passageId ?? null })
      else if (held != null) now.openDialog({ kind: action, laneId, passageId: held, plate: shown?.plate ?? '' })
      return
    }
    now.laneActivityChanged(laneId, { busy: true, outcome: null })
    try {
      await call('lane.recapture', { laneId })
      state().laneActivityChanged(laneId, { busy: false, outcome: { ok: true } })
    } catch (error) {
      state().laneActivityChanged(laneId, { busy: false, outcome: { ok: false, error: describeError(error) } })
    }
  }

  function keyAction(action: LaneAction): boolean {
    const now = state()
    if (!now.info) return false
    const target = attentionTarget(waitingTrucks(now.info.lanes, now.laneStates), now.attentionPick)
    const laneId = target?.laneId ?? now.activeLaneId
    if (!laneId) return false
    void laneAction(laneId, action)
    return true
  }

  return {
    store,
    call,
    keyAction,
    subscribe: (event, listener) => api.subscribe(event, listener),
    laneAction,
    reload,
    async login(username, password) {
      const session = await api.invoke('auth.login', { username, password })
      state().sessionChanged(session)
      api.connectEvents()
      // Over IPC the link is always up, so no 'connected' change will trigger the load.
      void reload()
    },
    async logout() {
      await api.invoke('auth.logout', {})
      signedOut()
    },
    async handover(input) {
      const session = await call('auth.handover', input)
      state().sessionChanged(session)
      // The host ended the outgoing session's event socket; open one for the incoming user.
      api.disconnectEvents()
      api.connectEvents()
    },
    async submitPlate(input) {
      // The journal follows the events only: the reply is a snapshot from commit time, and the upload may already
      // have been reported by 'passage.updated' before it arrives.
      await call('plate.submit', input)
    },
    async syncNow() {
      const sync = await call('sync.now', {})
      state().syncStatusReceived(sync)
    }
  }
}
