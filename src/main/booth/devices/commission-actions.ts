/**
 * What `npm run commission` can do with a device of each role, through the role's interface: every kind of the role
 * lists these in its table entry (and may add its own).
 */
import type { CommissionAction, CommissionContext } from './kind'
import type { Barrier, Display, DisplayColour, Scale } from './types'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function barrierAction(name: string, command: ((barrier: Barrier) => Promise<void>) | null): CommissionAction<Barrier> {
  return {
    name,
    usage: name,
    async run(barrier, { opened, print, watchMs }: CommissionContext) {
      barrier.onSignals((s) => print(`arm ${s.arm}, loop ${s.loopOccupied === null ? 'n/a' : s.loopOccupied ? 'occupied' : 'free'}`))
      await opened
      if (command) {
        await command(barrier)
        print(`${name}: acknowledged by the controller`)
      }
      await sleep(watchMs)
    }
  }
}

export const barrierActions: readonly CommissionAction<Barrier>[] = [
  barrierAction('open-barrier', (barrier) => barrier.open()),
  barrierAction('lower-barrier', (barrier) => barrier.lower()),
  barrierAction('signals', null)
]

const COLOURS: readonly DisplayColour[] = ['red', 'green', 'yellow']

export const displayActions: readonly CommissionAction<Display>[] = [
  {
    name: 'show',
    usage: `show "text" [--colour ${COLOURS.join('|')}] [--voice "…"]`,
    options: { colour: { type: 'string', default: 'green' }, voice: { type: 'string' } },
    async run(display, { text, values, opened, print, fail }) {
      if (!text) return fail('show needs the text to show, e.g. show "豫A12345\\n请通行"')
      const colour = values.colour as DisplayColour
      if (!COLOURS.includes(colour)) return fail(`--colour must be ${COLOURS.join(', ')}`)
      await opened
      await display.show(text.split('\\n').map((part) => ({ text: part, colour })), values.voice as string | undefined)
      print('show: acknowledged by the display')
    }
  }
]

export const scaleActions: readonly CommissionAction<Scale>[] = [
  {
    name: 'weight',
    usage: 'weight',
    async run(scale, { print, watchMs }) {
      scale.onWeight((reading) => print(`${reading.kg} kg${reading.stable ? ' (stable)' : ''}`))
      await sleep(watchMs)
    }
  }
]
