/**
 * A 臻识 (Vzenith) plate camera as its TCP protocol document (《车牌识别一体机 TCP 通讯协议说明文档》, port 8131) and its
 * HTTP push describe it, written from those documents, not from the booth's code:
 * - heartbeats answered in kind; every JSON answer carries the request's packet serial;
 * - `ttransmission send` writes the decoded bytes on RS-485 to an LED/voice module (0x64 protocol), which keeps its
 *   lines and voice; answered with its `state_code`;
 * - `ioctl {io, value, delay}` drives the IO outputs (0 断, 1 通, 2 先通后断): output 0 is wired to the barrier
 *   controller's open input, output 1 to its close input; the document gives ioctl NO answer, so none is sent;
 * - `get_gpio_value {gpio}` → `{value}` 1 high / 0 low: input 0 is the loop detector, input 1 the arm-up switch;
 * - `getivsresult` → the last recognition as an `ivs_result` JSON (GB2312, '\0'-terminated);
 * - the HTTP plate push (AlarmInfoPlate JSON) to the booth, whose reply `Response_AlarmInfoPlate.info` "ok" pulses
 *   output 0 (the camera's own open-on-reply).
 * Each client connection is answered on its own.
 */
import iconv from 'iconv-lite'
import { SimGate } from '../camera-http/gate'
import { postToBooth } from '../camera-http/http'
import { renderFrame } from '../onvif/frames'
import { Led0x64Reader, readLedCommand, type LedColourName } from '../wire/led-0x64'
import { vzJson, vzPacket, VzReader, type VzPacketIn } from '../wire/vzenith'

export interface ModuleLine {
  text: string
  colour: LedColourName | null
}

export interface VzenithSimOptions {
  /** DA of the LED module on rs485-1. */
  address: number
  travelMs: number
  /** The booth's POST /lpr/{laneId}, or null. */
  pushUrl: string | null
  laneName: string
  log: (text: string) => void
}

/** colorType of the push: 1 蓝 2 黄 3 白 4 黑 5 绿. */
const COLOUR_TYPES: Record<string, number> = { blue: 1, yellow: 2, white: 3, black: 4, green: 5 }

export interface PlateRequest {
  plate: string
  colour?: string
  /** The push's PlateResult.type (车牌类型 LT_X: 1 蓝牌小汽车, 3 单排黄牌, 4 双排黄牌 …). */
  plateType?: number
}

export class VzenithSim {
  /** The module on rs485-1 (address `address`): the bytes the camera writes on the bus arrive here. */
  private readonly module: Led0x64Reader
  private readonly readers: VzReader[] = []
  readonly gate: SimGate
  lines: (ModuleLine | null)[] = [null, null, null, null]
  voice: string[] = []
  passThroughs = 0
  heartbeats = 0
  badCommands = 0
  /** Every ioctl taken, in order. */
  readonly ioctls: { io: number; value: number; delay: number | null }[] = []
  silent = false
  /** Answer every command this much later. */
  slowMs = 0
  /** Answer the next pass-through with this state_code instead of 200. */
  refuseNext: number | null = null
  private recognition = 0
  private last: { plate: string; colorType: number; type: number; at: Date; id: number } | null = null
  private lastPush: { plate: string; reply: { status: number; body: string } } | null = null

  constructor(private readonly options: VzenithSimOptions) {
    this.module = new Led0x64Reader(options.address)
    this.gate = new SimGate(options.travelMs)
  }

  /** One client's channel: its bytes in, its answers out through `send`. */
  session(send: (bytes: Buffer) => void): (bytes: Buffer) => void {
    const reader = new VzReader()
    this.readers.push(reader)
    return (bytes) => {
      for (const packet of reader.push(bytes)) {
        if (this.silent) continue
        const answer = packet.type === 1 ? this.heartbeat(packet) : this.command(packet)
        if (!answer) continue
        if (this.slowMs > 0) setTimeout(() => send(answer), this.slowMs).unref()
        else send(answer)
      }
    }
  }

  private heartbeat(packet: VzPacketIn): Buffer {
    this.heartbeats++
    return vzPacket(1, packet.sn, Buffer.alloc(0))
  }

  private command(packet: VzPacketIn): Buffer | null {
    let command: Record<string, any>
    try {
      command = JSON.parse(packet.body.toString('utf8'))
    } catch {
      this.badCommands++
      this.options.log('bad command: not JSON')
      return vzJson(packet.sn, { state_code: 400, err_msg: 'invalid json' })
    }
    switch (command.cmd) {
      case 'ttransmission':
        return vzJson(packet.sn, this.passThrough(command))
      case 'ioctl':
        this.ioctl(command)
        return null
      case 'get_gpio_value': {
        const value = command.gpio === 0 ? this.gate.loop : command.gpio === 1 ? this.gate.arm === 'up' : null
        if (value === null) return vzJson(packet.sn, { cmd: command.cmd, state_code: 400, err_msg: 'invalid gpio' })
        return vzJson(packet.sn, { cmd: command.cmd, gpio: command.gpio, value: value ? 1 : 0 })
      }
      case 'getivsresult':
        return this.ivsResult(packet.sn)
      case 'getsn':
        return vzJson(packet.sn, { cmd: 'getsn', value: 'a1b2c3d4-e5f60718' })
      default:
        return vzJson(packet.sn, { cmd: command.cmd, state_code: 405, err_msg: 'unsupported command' })
    }
  }

  private ioctl(command: Record<string, any>): void {
    const io = Number(command.io)
    const value = Number(command.value)
    const delay = typeof command.delay === 'number' ? command.delay : null
    if ((io !== 0 && io !== 1) || ![0, 1, 2].includes(value)) {
      this.badCommands++
      this.options.log(`bad ioctl: ${JSON.stringify(command).slice(0, 200)}`)
      return
    }
    this.ioctls.push({ io, value, delay })
    this.options.log(`ioctl io ${io} value ${value}${delay === null ? '' : ` delay ${delay}`}`)
    // The controller acts on its input closing (通, or the 先通后断 pulse).
    if (value === 0) return
    if (io === 0) this.gate.open()
    else this.gate.close()
  }

  private ivsResult(sn: number): Buffer {
    const last = this.last
    const body = {
      PlateResult: {
        license: last?.plate ?? '_无_',
        colorType: last?.colorType ?? 0,
        type: last?.type ?? 0,
        confidence: last ? 96 : 0,
        timeStamp: { Timeval: { sec: Math.floor((last?.at.getTime() ?? 0) / 1000), usec: 0 } }
      },
      active_id: 0,
      cmd: 'ivs_result',
      id: last?.id ?? 0,
      imageformat: 'jpg',
      timeString: last ? beijing(last.at) : ''
    }
    // The document: the result string in GB2312, ended by '\0' (pictures would follow).
    return vzPacket(0, sn, Buffer.concat([iconv.encode(JSON.stringify(body), 'gb2312'), Buffer.from([0])]))
  }

  private passThrough(command: Record<string, any>): Record<string, unknown> {
    const reply = { cmd: command.cmd, id: command.id }
    if (command.subcmd === 'init' || command.subcmd === 'uninit') return { ...reply, state_code: 200 }
    const data = typeof command.data === 'string' ? Buffer.from(command.data, 'base64') : null
    if (command.subcmd !== 'send' || !data || data.length !== command.datalen || (command.comm !== 'rs485-1' && command.comm !== 'rs485-2')) {
      this.badCommands++
      this.options.log(`bad ttransmission: ${JSON.stringify(command).slice(0, 200)}`)
      return { ...reply, state_code: 400, err_msg: 'invalid parameter' }
    }
    if (this.refuseNext !== null) {
      const code = this.refuseNext
      this.refuseNext = null
      return { ...reply, state_code: code, err_msg: 'serial port busy' }
    }
    this.passThroughs++
    if (command.comm === 'rs485-1') this.onModuleBus(data)
    return { ...reply, state_code: 200 }
  }

  /** What the module on the bus does with the bytes (it answers on the bus; the camera does not relay it). */
  private onModuleBus(bytes: Buffer): void {
    for (const packet of this.module.push(bytes)) {
      try {
        const command = readLedCommand(packet)
        if (command.kind === 'text' && command.line < this.lines.length) {
          this.lines[command.line] = command.text === '' ? null : { text: command.text, colour: command.colour }
          if (command.text !== '') this.options.log(`show line ${command.line + 1} [${command.colour}] ${command.text}`)
        } else if (command.kind === 'voice') {
          if (command.option === 0x02) this.voice = []
          this.voice.push(command.text)
          this.options.log(`say ${command.text}`)
        }
      } catch (error) {
        this.options.log(`module: bad packet: ${(error as Error).message}`)
      }
    }
  }

  /** The camera recognises a plate and pushes it (AlarmInfoPlate); an "ok" reply pulses output 0. */
  async pushPlate(request: PlateRequest): Promise<{ status: number; body: string }> {
    const at = new Date()
    const colorType = COLOUR_TYPES[request.colour ?? 'yellow'] ?? 0
    const type = request.plateType ?? 3
    this.last = { plate: request.plate, colorType, type, at, id: ++this.recognition }
    if (!this.options.pushUrl) return { status: 0, body: 'no --push-url' }
    const scene = await renderFrame({ laneName: this.options.laneName, plate: request.plate, at })
    const push = {
      AlarmInfoPlate: {
        channel: 0,
        deviceName: 'IVS',
        ipaddr: '127.0.0.1',
        serialno: 'a1b2c3d4-e5f60718',
        result: {
          PlateResult: {
            license: request.plate,
            colorType,
            type,
            confidence: 96,
            plateid: this.recognition,
            direction: 0,
            carColor: 255,
            triggerType: 8,
            timeStamp: { Timeval: { sec: Math.floor(at.getTime() / 1000), usec: (at.getTime() % 1000) * 1000 } },
            imageFile: scene.toString('base64'),
            imageFileLen: scene.length
          }
        }
      }
    }
    const reply = await postToBooth(this.options.pushUrl, JSON.stringify(push), 'application/json')
    this.lastPush = { plate: request.plate, reply }
    try {
      if ((JSON.parse(reply.body) as { Response_AlarmInfoPlate?: { info?: string } }).Response_AlarmInfoPlate?.info === 'ok') this.gate.open()
    } catch {
      // not JSON: the camera does nothing with it
    }
    return reply
  }

  state() {
    return {
      lines: this.lines,
      voice: this.voice,
      passThroughs: this.passThroughs,
      heartbeats: this.heartbeats,
      badCommands: this.badCommands,
      silent: this.silent,
      slowMs: this.slowMs,
      discarded: this.readers.reduce((sum, reader) => sum + reader.discarded, 0),
      ioctls: this.ioctls,
      ...this.gate.state(),
      lastPush: this.lastPush
    }
  }
}

function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
}
