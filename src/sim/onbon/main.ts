/**
 * The Onbon BX-5/BX-6 LED controller simulator as its own process.
 *   node out/main/sim-onbon.js --serial PATH|tcp://127.0.0.1:0 [--baud 57600] [--screen 1] [--control-port 0]
 * Control (loopback HTTP): GET /state (areas with text and colour, voice); POST /silent {on}, /garbage {hex?|count?},
 * /corrupt-next.
 */
import { parseArgs } from 'node:util'
import { commonSimArgs, lineFaults, runSim, simProcess } from '../serial/control'
import { OnbonSim } from './onbon-sim'

const { values } = parseArgs({ options: { ...commonSimArgs, baud: { type: 'string', default: '57600' }, screen: { type: 'string', default: '1' } } })

await runSim(simProcess('onbon-sim', values), (line, log) => {
  const sim = new OnbonSim(Number(values.screen), (bytes) => line.write(bytes), log)
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
