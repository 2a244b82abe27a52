import { lazy, Suspense, useEffect, useMemo } from 'react'
import { AttentionPopup } from './components/AttentionPopup'
import { ConnectionBanner, LoadErrorBanner, PlatformBanner } from './components/Banners'
import { DeadLetters } from './components/DeadLetters'
import { Header } from './components/Header'
import { LaneBoard } from './components/LaneBoard'
import { LoginScreen } from './components/LoginScreen'
import { PlateEntryForm } from './components/PlateEntryForm'
import { AdminWorkspace } from './components/AdminWorkspace'
import { PlantWorkspace } from './components/PlantWorkspace'
import { VoiceAnnouncer } from './components/VoiceAnnouncer'
import { features, screensOn, type Feature } from './features'
import { useT } from './i18n'
import { usePage } from './route'
import { useGate, useSession } from './state/hooks'
import { boardKeyCommand, focusLaneTile, isFormField } from './shortcuts'
import { nextAttention, waitingTrucks } from './state/attention'

// antd (dialogs, photo viewer) is its own chunk: the board paints first, the dialogs arrive a moment later.
const DialogHost = lazy(() => import('./components/dialogs/DialogHost'))

export function App() {
  const info = useGate((state) => state.info)
  const session = useGate((state) => state.session)
  const page = usePage()
  const t = useT()
  if (session && !session.actor) {
    return (
      <div className="app">
        <LoadErrorBanner />
        <LoginScreen />
      </div>
    )
  }
  return (
    <div className="app">
      <Header info={info} />
      <PlatformBanner />
      <ConnectionBanner />
      <LoadErrorBanner />
      {!info || !session ? (
        <p className="app-loading">{t.loading}</p>
      ) : info.plant ? (
        <PlantWorkspace />
      ) : page === 'admin' && session.actor?.role === 'admin' ? (
        <AdminWorkspace />
      ) : (
        <Board />
      )}
    </div>
  )
}

function Board() {
  const info = useGate((state) => state.info)!
  const role = useGate((state) => state.session?.actor?.role)
  const chosen = useGate((state) => state.panel)
  const shown = useMemo(() => screensOn(features, 'board', role), [role])
  // A screen this user may not see (after a hand-over to a guard) falls back to the first one they may.
  const current = shown.find((feature) => feature.id === chosen) ?? shown[0]
  useBoardKeys(shown)
  return (
    <main className="app-main">
      <div className="app-main__top">
        <div className="app-main__side">
          {/* The truck that needs the guard comes first; the plate entry stays reachable below it (F6 scrolls to it). */}
          <AttentionPopup />
          <PlateEntryForm lanes={info.lanes} />
        </div>
        <LaneBoard lanes={info.lanes} />
      </div>
      {role !== 'admin' && <DeadLetters />}
      <VoiceAnnouncer />
      <PanelTabs features={shown} current={current?.id} />
      {current && (
        <Suspense fallback={null}>
          <current.Screen lanes={info.lanes} />
        </Suspense>
      )}
      <Suspense fallback={null}>
        <DialogHost />
      </Suspense>
    </main>
  )
}

export function PanelTabs({ features, current }: { features: readonly Feature[]; current: Feature['id'] | undefined }) {
  const t = useT()
  const { store } = useSession()
  return (
    <div className="panel-tabs" role="tablist">
      {features.map((feature) => (
        <button
          key={feature.id}
          type="button"
          role="tab"
          aria-selected={current === feature.id}
          className="panel-tab"
          data-testid={`tab-${feature.id}`}
          onClick={() => store.getState().showPanel(feature.id)}
        >
          {feature.title(t)} {feature.badge && <TabBadge count={feature.badge} />} {feature.shortcut && <kbd>{feature.shortcut}</kbd>}
        </button>
      ))}
    </div>
  )
}

function TabBadge({ count }: { count: NonNullable<Feature['badge']> }) {
  const value = useGate(count)
  return value > 0 ? <b className="alarm-count">{value}</b> : null
}

/**
 * The board's keyboard (shortcuts.ts): Alt+1…9 choose and focus a lane, F1–F4 take the active lane's actions through
 * the session (the very call its buttons make), F6 goes to the plate entry, and each screen's key shows it. Paused
 * while a dialog is open: it owns the keys then.
 */
function useBoardKeys(shown: readonly Feature[]) {
  const session = useSession()
  useEffect(() => {
    const { store } = session
    const onKey = (event: KeyboardEvent) => {
      const state = store.getState()
      if (state.dialog || !state.info) return
      const command = boardKeyCommand(event, shown)
      if (!command) return
      if (command.kind === 'choose-lane') {
        const lane = state.info.lanes[command.index]
        if (!lane) return
        event.preventDefault()
        state.selectLane(lane.id)
        focusLaneTile(lane.id)
        return
      }
      if (command.kind === 'lane-action') {
        if (session.keyAction(command.action)) event.preventDefault()
        return
      }
      if (command.kind === 'next-waiting') {
        const waiting = waitingTrucks(state.info.lanes, state.laneStates)
        // Tab switches between waiting trucks only when there is more than one and focus is not in a form field.
        if (waiting.length < 2 || isFormField(event.target)) return
        event.preventDefault()
        state.pickAttention(nextAttention(waiting, state.attentionPick))
        return
      }
      event.preventDefault()
      if (command.kind === 'focus') state.requestFocus(command.target)
      else {
        state.showPanel(command.feature.id)
        if (command.feature.focus) state.requestFocus(command.feature.focus)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [session, shown])
}
