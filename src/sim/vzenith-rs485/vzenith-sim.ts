/**
 * A Vzenith camera's TCP command channel with an LED/voice module (0x64 protocol) on its RS-485 port: heartbeats
 * are answered, `ttransmission send` writes the decoded bytes to the simulated module (which keeps the lines and
 * the voice), and every command is answered with its state_code.
 */
import { Led0x64Reader, readLedCommand, type LedColourName } from '../wire/led-0x64'
import { vzJson, vzPacket, VzReader, type VzPacketIn } from '../wire/vzenith'

export interface ModuleLine {
  text: string
  colour: LedColourName | null
}

export class VzenithSim {
  readonly reader = new VzReader()
  /** The module on rs485-1 (address `address`): the bytes the camera writes on the bus arrive here. */
  private readonly module: Led0x64Reader
  lines: (ModuleLine | null)[] = [null, null, null, null]
  voice: string[] = []
  passThroughs = 0
  heartbeats = 0
  badCommands = 0
  silent = false
  /** Answer the next pass-through with this state_code instead of 200. */
  refuseNext: number | null = null

  constructor(
    address: number,
    private readonly send: (bytes: Buffer) => void,
    private readonly log: (text: string) => void
  ) {
    this.module = new Led0x64Reader(address)
  }

  receive(bytes: Buffer): void {
    for (const packet of this.reader.push(bytes)) {
      if (this.silent) continue
      if (packet.type === 1) {
        this.heartbeats++
        this.send(vzPacket(1, packet.sn, Buffer.alloc(0)))
        continue
      }
      this.send(vzJson(packet.sn, this.handle(packet)))
    }
  }

  private handle(packet: VzPacketIn): Record<string, unknown> {
    let command: Record<string, any>
    try {
      command = JSON.parse(packet.body.toString('utf8'))
    } catch {
      this.badCommands++
      this.log('bad command: not JSON')
      return { state_code: 400, err_msg: 'invalid json' }
    }
    const reply = { cmd: command.cmd, id: command.id }
    if (command.cmd !== 'ttransmission') return { ...reply, state_code: 404, err_msg: 'unsupported command' }
    if (command.subcmd === 'init' || command.subcmd === 'uninit') return { ...reply, state_code: 200 }
    const data = typeof command.data === 'string' ? Buffer.from(command.data, 'base64') : null
    if (command.subcmd !== 'send' || !data || data.length !== command.datalen || (command.comm !== 'rs485-1' && command.comm !== 'rs485-2')) {
      this.badCommands++
      this.log(`bad ttransmission: ${JSON.stringify(command).slice(0, 200)}`)
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
          if (command.text !== '') this.log(`show line ${command.line + 1} [${command.colour}] ${command.text}`)
        } else if (command.kind === 'voice') {
          if (command.option === 0x02) this.voice = []
          this.voice.push(command.text)
          this.log(`say ${command.text}`)
        }
      } catch (error) {
        this.log(`module: bad packet: ${(error as Error).message}`)
      }
    }
  }

  state() {
    return { lines: this.lines, voice: this.voice, passThroughs: this.passThroughs, heartbeats: this.heartbeats, badCommands: this.badCommands, silent: this.silent, discarded: this.reader.discarded }
  }
}
