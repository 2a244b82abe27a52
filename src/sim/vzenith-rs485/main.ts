/**
 * A 臻识 (Vzenith) plate camera as its own process: its TCP command channel (RS-485 pass-through to an LED/voice
 * module, IO outputs driving a barrier, inputs, last recognition) and its HTTP plate push (vzenith-sim.ts).
 *   node out/main/sim-vzenith-rs485.js --serial tcp://127.0.0.1:0 [--address 0] [--push-url URL] [--travel-ms 300]
 * (`--serial` is the camera's TCP port, 8131 on a real camera.) Control (loopback HTTP): GET /state; POST
 * /silent {on}, /garbage {hex?|count?}, /refuse-next {code?}, /slow {ms}, /disconnect, /plate {plate, colour?,
 * plateType?} (answers the booth's reply), /truck {loopMs?}, /remote.
 */
import { parseArgs } from 'node:util'
import { commonSimArgs, lineFaults, runSim, simProcess } from '../serial/control'
import { VzenithSim, type PlateRequest } from './vzenith-sim'

const { values } = parseArgs({
  options: {
    ...commonSimArgs,
    address: { type: 'string', default: '0' },
    'push-url': { type: 'string' },
    'travel-ms': { type: 'string', default: '300' },
    lane: { type: 'string', default: '车道' }
  }
})

await runSim(simProcess('vzenith-rs485-sim', values), (line, log) => {
  const sim = new VzenithSim({ address: Number(values.address), travelMs: Number(values['travel-ms']), pushUrl: values['push-url'] ?? null, laneName: values.lane, log })
  // Over TCP each client has its own channel; on a serial path (a bench pty) the one stream is the one client.
  if (line.onConnection) line.onConnection((connection) => connection.onData(sim.session((bytes) => connection.write(bytes))))
  else line.onData(sim.session((bytes) => line.write(bytes)))
  return {
    state: () => sim.state(),
    actions: {
      ...lineFaults(sim, line),
      'refuse-next': (body) => {
        sim.refuseNext = typeof body.code === 'number' ? body.code : 500
      },
      slow: (body) => {
        sim.slowMs = typeof body.ms === 'number' ? body.ms : 3_000
      },
      disconnect: () => line.dropConnections?.(),
      plate: (body) => sim.pushPlate(body as unknown as PlateRequest),
      truck: (body) => sim.gate.truck(typeof body.loopMs === 'number' ? body.loopMs : 1_500),
      remote: () => sim.gate.remote()
    }
  }
})
