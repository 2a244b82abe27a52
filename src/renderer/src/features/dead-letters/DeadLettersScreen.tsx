import { DeadLetters } from '../../components/DeadLetters'
import { useT } from '../../i18n'
import { useGate } from '../../state/hooks'

/** The failed uploads, or a line saying there are none. */
export function DeadLettersScreen() {
  const t = useT()
  const dead = useGate((state) => state.sync?.dead ?? 0)
  return dead > 0 ? <DeadLetters /> : <p className="journal__empty">{t.adminSettings.deadLettersEmpty}</p>
}
