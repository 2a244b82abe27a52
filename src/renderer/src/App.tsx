import { ConnectionBanner, LoadErrorBanner } from './components/Banners'
import { DeadLetters } from './components/DeadLetters'
import { Header } from './components/Header'
import { LaneBoard } from './components/LaneBoard'
import { PassageJournal } from './components/PassageJournal'
import { PlateEntryForm } from './components/PlateEntryForm'
import { useGate } from './state/hooks'

export function App() {
  const info = useGate((state) => state.info)
  return (
    <div className="app">
      <Header info={info} />
      <ConnectionBanner />
      <LoadErrorBanner />
      {info ? (
        <main className="app-main">
          <div className="app-main__top">
            <PlateEntryForm lanes={info.lanes} />
            <LaneBoard lanes={info.lanes} />
          </div>
          <DeadLetters />
          <PassageJournal lanes={info.lanes} />
        </main>
      ) : (
        <p className="app-loading">正在连接主程序…</p>
      )}
    </div>
  )
}
