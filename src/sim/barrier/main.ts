/**
 * The barrier-controller simulator as its own process (demo mode, tests, commissioning practice).
 *   node out/main/sim-barrier.js --serial /dev/pts/5|tcp://127.0.0.1:0 [--baud 9600] [--unit 1] [--travel-ms 1500]
 *     [--loop-ms 2000] [--auto-drive] [--no-auto-close] [--control-port 0]
 * Control (loopback HTTP): GET /state; POST /truck {loopMs?}, /force-pass {loopMs?}, /open, /lower,
 * /silent {on}, /garbage {hex?|count?}, /corrupt-next.
 */
import { parseArgs } from 'node:util'
import { commonSimArgs, lineFaults, runSim, simProcess } from '../serial/control'
import { BarrierSim } from './barrier-sim'

const { values } = parseArgs({
  options: {
    ...commonSimArgs,
    unit: { type: 'string', default: '1' },
    'travel-ms': { type: 'string', default: '1500' },
    'loop-ms': { type: 'string', default: '2000' },
    'auto-drive': { type: 'boolean', default: false },
    'no-auto-close': { type: 'boolean', default: false }
  }
})

await runSim(simProcess('barrier-sim', values), (line, log) => {
  const sim = new BarrierSim(
    {
      unit: Number(values.unit),
      travelMs: Number(values['travel-ms']),
      loopMs: Number(values['loop-ms']),
      autoDrive: values['auto-drive']!,
      autoClose: !values['no-auto-close']
    },
    (bytes) => line.write(bytes),
    log
  )
  line.onData((bytes) => sim.receive(bytes))
  const loopMs = (body: Record<string, unknown>) => (typeof body.loopMs === 'number' ? body.loopMs : undefined)
  return {
    state: () => sim.state(),
    stop: () => sim.stop(),
    actions: {
      truck: (body) => sim.truck(false, loopMs(body)),
      'force-pass': (body) => sim.truck(true, loopMs(body)),
      open: () => sim.raise(),
      lower: () => sim.lower(),
      ...lineFaults(sim, line, log),
      'corrupt-next': () => {
        sim.corruptNext = true
      }
    }
  }
})
