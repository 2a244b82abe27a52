/**
 * The lane LED display simulator as its own process.
 *   node out/main/sim-led.js --serial PATH|tcp://127.0.0.1:0 [--baud 9600] [--address 0] [--password P] [--control-port 0]
 * Control (loopback HTTP): GET /state (lines with colours, voice); POST /silent {on}, /garbage {hex?|count?},
 * /corrupt-next.
 */
import { parseArgs } from 'node:util'
import { commonSimArgs, lineFaults, runSim, simProcess } from '../serial/control'
import { LedSim } from './led-sim'

const { values } = parseArgs({ options: { ...commonSimArgs, address: { type: 'string', default: '0' }, password: { type: 'string' } } })

await runSim(simProcess('led-sim', values), (line, log) => {
  const sim = new LedSim(Number(values.address), values.password ?? null, (bytes) => line.write(bytes), log)
  line.onData((bytes) => sim.receive(bytes))
  return {
    state: () => sim.state(),
    actions: {
      ...lineFaults(sim, line),
      'corrupt-next': () => {
        sim.corruptNext = true
      }
    }
  }
})
