/**
 * The Vzenith camera's command channel with an LED/voice module on its RS-485 port, as its own process.
 *   node out/main/sim-vzenith-rs485.js --serial tcp://127.0.0.1:0 [--address 0] [--control-port 0]
 * (`--serial` is the camera's TCP port, 8131 on a real camera.) Control (loopback HTTP): GET /state (the module's
 * lines and voice); POST /silent {on}, /garbage {hex?|count?}, /refuse-next {code?}.
 */
import { parseArgs } from 'node:util'
import { commonSimArgs, garbageBytes, runSim, simProcess } from '../serial/control'
import { VzenithSim } from './vzenith-sim'

const { values } = parseArgs({ options: { ...commonSimArgs, address: { type: 'string', default: '0' } } })

await runSim(simProcess('vzenith-rs485-sim', values), (line, log) => {
  const sim = new VzenithSim(Number(values.address), (bytes) => line.write(bytes), log)
  line.onData((bytes) => sim.receive(bytes))
  return {
    state: () => sim.state(),
    actions: {
      silent: (body) => {
        sim.silent = body.on !== false
      },
      garbage: (body) => line.write(garbageBytes(body)),
      'refuse-next': (body) => {
        sim.refuseNext = typeof body.code === 'number' ? body.code : 500
      }
    }
  }
})
