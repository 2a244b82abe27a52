import { useCallback, useState } from 'react'
import type { PlantCounts, PlantStatistics } from '@shared/contract'
import { beijingDate } from '../../format'
import { useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { ExportButtons } from './StatisticsExport'
import { DayPicker, gateText, PlantScreen, PlantTable, useLoaded } from './shared'

/** 分门岗统计: spec 4.2.12's counts per gate and for the whole plant over a range of Beijing days, and their exports. */
export default function StatisticsScreen() {
  const t = useT()
  const { call } = useSession()
  const [from, setFrom] = useState(beijingDate())
  const [to, setTo] = useState(beijingDate())
  const load = useCallback(() => (from <= to ? call('plant.statistics', { from, to }) : Promise.resolve(null)), [call, from, to])
  const { value: stats, error } = useLoaded<PlantStatistics | null>(load, null)
  return (
    <PlantScreen label={t.plant.statsTitle} testId="plant-statistics" error={error}>
      <div className="plant-filters">
        <span>{t.plant.from}</span>
        <DayPicker value={from} onChange={setFrom} testId="plant-stats-from" />
        <span>{t.plant.to}</span>
        <DayPicker value={to} onChange={setTo} testId="plant-stats-to" />
        {stats && <ExportButtons from={from} to={to} gates={stats.gates.map((gate) => gate.gateCode)} />}
      </div>
      {stats && (
        <PlantTable
          headings={[t.plant.gate, t.plant.vehTotal, t.plant.enterVehTotal, t.plant.exitVehTotal, t.plant.violationTotal, t.plant.controlTotal, t.plant.standard3, t.plant.standard4]}
        >
          {stats.gates.map((gate) => (
            <CountsRow key={gate.gateCode} label={gateText(gate.gateCode, t)} counts={gate} testId="plant-stats-gate" />
          ))}
          <CountsRow label={t.plant.plantTotal} counts={stats.plant} testId="plant-stats-total" />
        </PlantTable>
      )}
    </PlantScreen>
  )
}

function CountsRow({ label, counts, testId }: { label: string; counts: PlantCounts; testId: string }) {
  return (
    <tr data-testid={testId} data-veh-total={counts.vehTotal}>
      <th scope="row">{label}</th>
      <td>{counts.vehTotal}</td>
      <td>{counts.enterVehTotal}</td>
      <td>{counts.exitVehTotal}</td>
      <td>{counts.violationTotal}</td>
      <td>{counts.controlTotal}</td>
      <td>
        {counts.standard3EnterTotal} / {counts.standard3ExitTotal}
      </td>
      <td>
        {counts.standard4EnterTotal} / {counts.standard4ExitTotal}
      </td>
    </tr>
  )
}
