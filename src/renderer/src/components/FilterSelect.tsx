import type { ReactNode } from 'react'

/** A labelled filter drop-down whose first choice ('' value) means "all"; the journal and the ledgers use it. */
export function FilterSelect<V extends string>({
  label,
  testId,
  value,
  allLabel,
  options,
  onChange
}: {
  label: ReactNode
  testId: string
  value: V | ''
  allLabel: string
  options: readonly { value: V; label: string }[]
  onChange(value: V | ''): void
}) {
  return (
    <label>
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as V | '')}>
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  )
}

/** A label map (code → text) as FilterSelect options, in the map's order. */
export function optionsOf<V extends string>(labels: Record<V, string>): { value: V; label: string }[] {
  return (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }))
}
