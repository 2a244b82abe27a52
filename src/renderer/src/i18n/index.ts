import { useGate } from '../state/hooks'
import { catalogues, type Messages } from './messages'

export { catalogues, type Locale, type Messages } from './messages'

/** The current language's messages. */
export function useT(): Messages {
  return catalogues[useGate((state) => state.locale)]
}
