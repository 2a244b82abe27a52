/**
 * An Onbon BX-5/BX-6 controller: takes dynamic-area text (A3 06) and the status query (A2 00) for its screen
 * address, keeps what each area shows and what it said, answers ACK (A0 00) or NACK (A0 01), and prints each change.
 */
import { OnbonReader, onbonFailed, onbonFrame, ONBON_OK, readDynamicAreas, type OnbonArea } from '../wire/onbon-bx'

export class OnbonSim {
  readonly reader = new OnbonReader()
  areas = new Map<number, OnbonArea>()
  voice: string[] = []
  frames = 0
  refused = 0
  silent = false
  corruptNext = false

  constructor(
    private readonly screen: number,
    private readonly send: (bytes: Buffer) => void,
    private readonly log: (text: string) => void
  ) {}

  receive(bytes: Buffer): void {
    for (const packet of this.reader.push(bytes)) {
      // 0xFFFF is the broadcast address every controller takes.
      if (this.silent || (packet.destination !== this.screen && packet.destination !== 0xffff)) continue
      this.frames++
      const answer = this.handle(packet.data)
      const reply = onbonFrame(this.screen, packet.source, answer)
      if (this.corruptNext) {
        this.corruptNext = false
        reply[reply.length - 2]! ^= 0x01
      }
      this.send(reply)
    }
  }

  private handle(data: Buffer): number[] {
    const [group, command] = data
    if (group === 0xa2 && command === 0x00) return ONBON_OK
    if (group === 0xa3 && command === 0x06) {
      try {
        const { areas, deleted } = readDynamicAreas(data)
        if (deleted === 'all') this.areas.clear()
        else deleted.forEach((id) => this.areas.delete(id))
        for (const area of areas) {
          this.areas.set(area.id, area)
          this.log(area.text === '' ? `blank area ${area.id + 1}` : `show area ${area.id + 1} [${area.colour ?? 'default'}] ${area.text}`)
          if (area.voice) {
            this.voice.push(area.voice)
            this.log(`say ${area.voice}`)
          }
        }
        return ONBON_OK
      } catch (error) {
        this.refused++
        this.log(`bad A3 06: ${(error as Error).message}`)
        return onbonFailed(0x0002)
      }
    }
    this.refused++
    this.log(`unsupported command ${group?.toString(16)} ${command?.toString(16)}`)
    return onbonFailed(0x0001)
  }

  state() {
    return {
      areas: [...this.areas.values()].sort((a, b) => a.id - b.id),
      voice: this.voice,
      frames: this.frames,
      refused: this.refused,
      silent: this.silent,
      crcErrors: this.reader.crcErrors,
      discarded: this.reader.discarded
    }
  }
}
