import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react'
import { AlarmsPanel } from './features/alarms/AlarmsPanel'
import { AuditPanel } from './features/audit/AuditPanel'
import { ConnectionBanner, LoadErrorBanner } from './components/Banners'
import { DeadLetters } from './components/DeadLetters'
import { Header } from './components/Header'
import { LaneBoard } from './components/LaneBoard'
import { LoginScreen } from './components/LoginScreen'
import { PassageJournal } from './features/journal/PassageJournal'
import { PlateEntryForm } from './components/PlateEntryForm'
import { useT } from './i18n'
import { useGate, useSession } from './state/hooks'
import { focusLaneTile, LANE_ACTION_KEYS, laneIndexOfKey, SHORTCUTS } from './shortcuts'

type Panel = 'journal' | 'alarms' | 'audit' | 'reports' | 'ledgers'

// antd (dialogs, photo viewer) is its own chunk: the board paints first, the dialogs arrive a moment later.
const DialogHost = lazy(() => import('./components/dialogs/DialogHost'))
// Reports bring antd and echarts, several MB: they load when their tab is first opened, not before the board paints.
const ReportsPanel = lazy(() => import('./features/reports').then(({ ReportsPanel }) => ({ default: ReportsPanel })))
// The ledgers (台账) are an admin's screens: their chunk loads when the tab is first opened.
const LedgersPanel = lazy(() => import('./features/ledgers/LedgersPanel'))

export function App() {
  const info = useGate((state) => state.info)
  const session = useGate((state) => state.session)
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
      <ConnectionBanner />
      <LoadErrorBanner />
      {info && session ? <Board /> : <p className="app-loading">{t.loading}</p>}
    </div>
  )
}

function Board() {
  const t = useT()
  const info = useGate((state) => state.info)!
  const alarmCount = useGate((state) => state.alarms.length)
  const [panel, setPanel] = useState<Panel>('journal')
  useShortcuts(setPanel)
  return (
    <main className="app-main">
      <div className="app-main__top">
        <PlateEntryForm lanes={info.lanes} />
        <LaneBoard lanes={info.lanes} />
      </div>
      <DeadLetters />
      <PanelTabs
        panel={panel}
        onChange={setPanel}
        tabs={{
          journal: (
            <>
              {t.journal.title} <kbd>{SHORTCUTS.journal}</kbd>
            </>
          ),
          alarms: (
            <>
              {t.alarms.title} {alarmCount > 0 && <b className="alarm-count">{alarmCount}</b>} <kbd>{SHORTCUTS.alarms}</kbd>
            </>
          ),
          audit: t.audit.title,
          reports: t.reports.title,
          ledgers: t.ledgers.title
        }}
      />
      {panel === 'journal' && <PassageJournal lanes={info.lanes} />}
      {panel === 'alarms' && <AlarmsPanel />}
      {panel === 'audit' && <AuditPanel />}
      {panel === 'reports' && (
        <Suspense fallback={null}>
          <ReportsPanel lanes={info.lanes} />
        </Suspense>
      )}
      {panel === 'ledgers' && (
        <Suspense fallback={null}>
          <LedgersPanel />
        </Suspense>
      )}
      <Suspense fallback={null}>
        <DialogHost />
      </Suspense>
    </main>
  )
}

function PanelTabs({ panel, onChange, tabs }: { panel: Panel; onChange(panel: Panel): void; tabs: Record<Panel, ReactNode> }) {
  return (
    <div className="panel-tabs" role="tablist">
      {(Object.keys(tabs) as Panel[]).map((key) => (
        <button key={key} type="button" role="tab" aria-selected={panel === key} className="panel-tab" data-testid={`tab-${key}`} onClick={() => onChange(key)}>
          {tabs[key]}
        </button>
      ))}
    </div>
  )
}

/**
 * The board's keyboard: F1–F4 press the active lane's action buttons (the same path as a click), Alt+1…4 choose
 * and focus a lane, F8/F9 switch to the journal/alarms. Paused while a dialog is open: it owns the keys then.
 */
function useShortcuts(showPanel: (panel: Panel) => void) {
  const { store } = useSession()
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const state = store.getState()
      if (state.dialog || !state.info) return
      const laneIndex = laneIndexOfKey(event)
      if (laneIndex !== null) {
        const lane = state.info.lanes[laneIndex]
        if (!lane) return
        event.preventDefault()
        state.selectLane(lane.id)
        focusLaneTile(lane.id)
        return
      }
      const action = LANE_ACTION_KEYS[event.key]
      if (action && state.activeLaneId) {
        event.preventDefault()
        document.querySelector<HTMLButtonElement>(`[data-testid="lane-tile"][data-lane-id="${CSS.escape(state.activeLaneId)}"] [data-testid="action-${action}"]`)?.click()
        return
      }
      if (event.key === SHORTCUTS.journal || event.key === SHORTCUTS.alarms) {
        event.preventDefault()
        const journal = event.key === SHORTCUTS.journal
        showPanel(journal ? 'journal' : 'alarms')
        if (journal) setTimeout(() => document.querySelector<HTMLElement>('[data-testid="filter-plate"]')?.focus())
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store, showPanel])
}
