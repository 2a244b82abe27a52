/**
 * The weighbridge simulator as its own process.
 *   node out/main/sim-scale.js --serial PATH|tcp://127.0.0.1:0 [--baud 9600] [--interval-ms 100] [--noise-kg 0]
 * Control (loopback HTTP): GET /state; POST /weight {kg, rampMs?}, /silent {on}, /garbage {hex?|count?}.
 */
import { parseArgs } from 'node:util'
import { commonSimArgs, lineFaults, runSim, simProcess } from '../serial/control'
import { ScaleSim } from './scale-sim'

const { values } = parseArgs({
  options: { ...commonSimArgs, 'interval-ms': { type: 'string', default: '100' }, 'noise-kg': { type: 'string', default: '0' } }
})

await runSim(simProcess('scale-sim', values), (line, log) => {
  const sim = new ScaleSim({ intervalMs: Number(values['interval-ms']), noiseKg: Number(values['noise-kg']) }, (bytes) => line.write(bytes), log)
  return {
    state: () => sim.state(),
    stop: () => sim.stop(),
    actions: {
      weight: (body) => {
        if (typeof body.kg !== 'number' || body.kg < 0 || body.kg > 999_999) throw new Error('kg must be a number 0–999999')
        sim.setWeight(body.kg, typeof body.rampMs === 'number' ? body.rampMs : 2000)
      },
      ...lineFaults(sim, line)
    }
  }
})
