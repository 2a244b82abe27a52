import { Tabs } from 'antd'
import { useEffect, useState } from 'react'
import { AlarmsPanel } from './components/AlarmsPanel'
import { AuditPanel } from './components/AuditPanel'
import { ConnectionBanner, LoadErrorBanner } from './components/Banners'
import { DialogHost } from './components/dialogs/DialogHost'
import { Header } from './components/Header'
import { LaneBoard } from './components/LaneBoard'
import { LoginScreen } from './components/LoginScreen'
import { PassageJournal } from './components/PassageJournal'
import { PlateEntryForm } from './components/PlateEntryForm'
import { useT } from './i18n'
import { useGate, useSession } from './state/hooks'
import { focusLaneTile, LANE_ACTION_KEYS, laneIndexOfKey, SHORTCUTS } from './shortcuts'

type Panel = 'journal' | 'alarms' | 'audit'

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
      <Tabs
        activeKey={panel}
        onChange={(key) => setPanel(key as Panel)}
        items={[
          { key: 'journal', label: <span data-testid="tab-journal">{t.journal.title} <kbd>{SHORTCUTS.journal}</kbd></span>, children: <PassageJournal lanes={info.lanes} /> },
          {
            key: 'alarms',
            label: (
              <span data-testid="tab-alarms">
                {t.alarms.title} {alarmCount > 0 && <b className="alarm-count">{alarmCount}</b>} <kbd>{SHORTCUTS.alarms}</kbd>
              </span>
            ),
            children: <AlarmsPanel />
          },
          { key: 'audit', label: <span data-testid="tab-audit">{t.audit.title}</span>, children: <AuditPanel /> }
        ]}
      />
      <DialogHost />
    </main>
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
