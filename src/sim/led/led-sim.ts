/**
 * A lane LED display speaking the 0x64 protocol: decodes every packet, keeps what it would show (line, colour,
 * text) and what it would say, acknowledges each command, and prints each change.
 */
import { ledAck, ledConnectAnswer, Led0x64Reader, readLedCommand, type LedColourName } from '../wire/led-0x64'

/** The protocol's text windows (TWID 0–3). */
const MAX_LINES = 4

export interface ShownLine {
  text: string
  colour: LedColourName | null
  rgba: number[]
}

export class LedSim {
  readonly decoder: Led0x64Reader
  lines: (ShownLine | null)[] = new Array(MAX_LINES).fill(null)
  voice: string[] = []
  packets = 0
  silent = false
  corruptNext = false

  constructor(
    private readonly address: number,
    /** When set, 0x00 must carry this password (an encrypted display); otherwise any password is accepted. */
    private readonly password: string | null,
    private readonly send: (bytes: Buffer) => void,
    private readonly log: (text: string) => void
  ) {
    this.decoder = new Led0x64Reader(address)
  }

  receive(bytes: Buffer): void {
    for (const packet of this.decoder.push(bytes)) {
      // A silent display is a dead one: it neither shows nor answers.
      if (this.silent) continue
      this.packets++
      let ack = 0
      let reply: Buffer | null = null
      try {
        const command = readLedCommand(packet)
        if (command.kind === 'connect') {
          reply = ledConnectAnswer(this.address, this.password === null || command.password === this.password, [1, 0, 0, 1, 0, 2, 1, 0, 0])
        } else if (command.kind === 'text' && command.line < MAX_LINES) {
          // An empty text blanks the line.
          this.lines[command.line] = command.text === '' ? null : { text: command.text, colour: command.colour, rgba: command.rgba }
          this.log(command.text === '' ? `blank line ${command.line + 1}` : `show line ${command.line + 1} [${command.colour ?? command.rgba.join(',')}] ${command.text}`)
        } else if (command.kind === 'voice') {
          if (command.option === 0x02) this.voice = []
          this.voice.push(command.text)
          this.log(`say ${command.text}`)
        } else {
          ack = 1
          this.log(`unsupported packet 0x${packet.command.toString(16)}`)
        }
      } catch (error) {
        ack = 1
        this.log(`bad packet: ${(error as Error).message}`)
      }
      reply ??= ledAck(this.address, packet.command, ack)
      if (this.corruptNext) {
        this.corruptNext = false
        reply[reply.length - 1]! ^= 0xff
      }
      this.send(reply)
    }
  }

  state() {
    return {
      lines: this.lines,
      voice: this.voice,
      packets: this.packets,
      silent: this.silent,
      crcErrors: this.decoder.crcErrors,
      discarded: this.decoder.discarded
    }
  }
}
