import { useRef, type ComponentProps } from 'react'
import { normalizePlate, provinceOfRegionCode, PROVINCES } from '@shared/plate'
import { useGate } from '../state/hooks'

type PlateInputProps = Omit<ComponentProps<'input'>, 'value' | 'onChange'> & {
  value: string
  onChange(plate: string): void
  /** Show the province key pad under the field (a click sets the plate's first character). */
  provinceKeys?: boolean
}

/** The plant's province (from its enterprise code): a plate typed starting with its letter gets it in front. */
function useDefaultProvince(): string | null {
  return useGate((state) => (state.info ? provinceOfRegionCode(state.info.enterpriseCode) : null))
}

function withProvince(plate: string, province: string | null): string {
  return province && /^[A-Z]/.test(plate) ? `${province}${plate}` : plate
}

/** The plate upper case and half-width as the guard types it; a plate begun with its letter gets the plant's province. */
export function PlateInput({ value, onChange, provinceKeys = false, ...inputProps }: PlateInputProps) {
  const province = useDefaultProvince()
  // Rewriting the value while a Chinese IME is composing (拼音 for the province) would break the composition,
  // so the raw text goes through until the IME commits.
  const composing = useRef(false)
  const input = (
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
        onChange(withProvince(normalizePlate(event.currentTarget.value), province))
      }}
      onChange={(event) => onChange(composing.current ? event.target.value : withProvince(normalizePlate(event.target.value), province))}
    />
  )
  if (!provinceKeys) return input
  return (
    <div className="plate-input-pad">
      {input}
      <div className="province-keys" data-testid="province-keys">
        {[...PROVINCES].map((key) => (
          <button
            key={key}
            type="button"
            tabIndex={-1}
            className={`province-key${key === province ? ' province-key--home' : ''}`}
            onClick={() => onChange(PROVINCES.includes(value.charAt(0)) ? `${key}${value.slice(1)}` : `${key}${value}`)}
          >
            {key}
          </button>
        ))}
      </div>
    </div>
  )
}
