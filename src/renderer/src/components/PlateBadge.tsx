import { plateColourLabel } from '@shared/spec'

interface PlateBadgeProps {
  plate: string
  colour: string
  size?: 'large' | 'small'
}

/** A plate drawn in its real B7.1 colour, so the guard can match it with the truck at a glance. */
export function PlateBadge({ plate, colour, size = 'small' }: PlateBadgeProps) {
  return (
    <span className={`plate plate--${size} plate--colour-${colour}`} title={`${plateColourLabel(colour)}车牌`}>
      {plate}
    </span>
  )
}
