import { useRef, type ComponentProps } from 'react'
import { normalizePlate } from '@shared/plate'

type PlateInputProps = Omit<ComponentProps<'input'>, 'value' | 'onChange'> & {
  value: string
  onChange(plate: string): void
}

/** The plate upper case and half-width as the guard types it. */
export function PlateInput({ value, onChange, ...inputProps }: PlateInputProps) {
  // Rewriting the value while a Chinese IME is composing (拼音 for the province) would break the composition,
  // so the raw text goes through until the IME commits.
  const composing = useRef(false)
  return (
    <input
      data-testid="plate-input"
      {...inputProps}
      className="plate-input"
      value={value}
      maxLength={10}
      autoComplete="off"
      spellCheck={false}
      placeholder="如 豫A12345"
      onCompositionStart={() => (composing.current = true)}
      onCompositionEnd={(event) => {
        composing.current = false
        onChange(normalizePlate(event.currentTarget.value))
      }}
      onChange={(event) => onChange(composing.current ? event.target.value : normalizePlate(event.target.value))}
    />
  )
}
