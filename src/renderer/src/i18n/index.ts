import { useGate } from '../state/hooks'
import { catalogues, type Messages } from './messages'

export { catalogues, type Locale, type Messages } from './messages'

/** The current language's messages. */
export function useT(): Messages {
  return catalogues[useGate((state) => state.locale)]
}

/** A catalogue entry with its {name} placeholders filled in. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
