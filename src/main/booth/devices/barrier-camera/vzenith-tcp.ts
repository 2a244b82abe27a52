import { connect, type Socket } from 'node:net'
import iconv from 'iconv-lite'
import { plateSchema } from '@shared/contract'
import { encodeHeartbeat, encodePacket, PacketType, scanPacket, type VzPacket } from '../display-vzenith-rs485/protocol-vz'
import { CameraCommandError, type CameraBarrierApi } from './api'

/**
 * 臻识 (Vzenith) plate cameras' TCP command channel (port 8131), as the vendor's 《车牌识别一体机 TCP 通讯协议说明文档》
 * describes it (github.com/vzenith/vzenith_tcp_protocol, doc/): 8-byte 'V' 'Z' headers (protocol-vz.ts), JSON
 * commands. The barrier needs three of them:
 *
 *   {"cmd":"ioctl","io":0,"value":2,"delay":500}   IO output 0/1: 0 断, 1 通, 2 先通后断 (the open pulse), delay in ms;
 *                                                  the camera sends NO answer
 *   {"cmd":"get_gpio_value","gpio":0}              → {"cmd":"get_gpio_value","gpio":0,"value":1} (1 high, 0 low)
 *   {"cmd":"getivsresult","image":false,"format":"json"} → the last recognition, as the ivs_result push
 *
 * Because ioctl is never answered, each is sent together with a heartbeat: the camera reads its channel in order, so
 * the heartbeat's answer means it has read the ioctl before it (and a dead camera is seen, not assumed to have opened).
 */
export function tcpAddress(url: string): { host: string; port: number } | null {
  const match = /^tcp:\/\/([^:/]+):(\d{1,5})\/?$/.exec(url)
  return match ? { host: match[1]!, port: Number(match[2]) } : null
}

class ChannelTimeout extends Error {
  override name = 'TimeoutError'
}

/** One connection to the camera's 8131 channel, opened on first use and again after any failure; one exchange at a time. */
export class VzenithChannel {
  private socket: Socket | null = null
  private buffer = Buffer.alloc(0)
  private waiting: { want: (packet: VzPacket) => boolean; done: (error: Error | null, packet?: VzPacket) => void } | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private sn = 0

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number
  ) {}

  /** The next packet serial (1–255; the camera copies it into its answer). */
  nextSn(): number {
    this.sn = (this.sn % 255) + 1
    return this.sn
  }

  /** Writes the packets and waits for the first answer `want` takes; a timeout or a lost connection rejects. */
  exchange(packets: Buffer[], want: (packet: VzPacket) => boolean): Promise<VzPacket> {
    const run = this.queue.then(() => this.exchangeNow(packets, want))
    this.queue = run.catch(() => {})
    return run
  }

  close(): void {
    this.drop(new Error('channel closed'))
  }

  private exchangeNow(packets: Buffer[], want: (packet: VzPacket) => boolean): Promise<VzPacket> {
    return new Promise<VzPacket>((resolve, reject) => {
      const timer = setTimeout(() => this.drop(new ChannelTimeout(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs)
      this.waiting = {
        want,
        done: (error, packet) => {
          clearTimeout(timer)
          this.waiting = null
          if (error) reject(error)
          else resolve(packet!)
        }
      }
      const socket = this.socket ?? this.open()
      this.buffer = Buffer.alloc(0)
      socket.write(Buffer.concat(packets))
    })
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port })
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (error) => this.drop(new Error(`connect ${this.host}:${this.port}`, { cause: error })))
    socket.on('close', () => this.socket === socket && this.drop(new Error('the camera closed the connection', { cause: { code: 'ECONNRESET' } })))
    this.socket = socket
    return socket
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    for (;;) {
      const scan = scanPacket(this.buffer)
      this.buffer = this.buffer.subarray(scan.consumed)
      if (!scan.packet) return
      if (this.waiting?.want(scan.packet)) this.waiting.done(null, scan.packet)
    }
  }

  /** Any failure ends the connection: a late answer must never be taken for the next command's. */
  private drop(error: Error): void {
    const socket = this.socket
    this.socket = null
    socket?.destroy()
    this.waiting?.done(error)
  }
}

/**
 * The JSON at the start of a data packet (it may be followed by '\0' and pictures). The document says GB2312; some
 * firmware writes UTF-8, and a GB2312 plate can also be valid UTF-8 (豫 is D4 A5), so the caller picks the encoding.
 */
export function vzJsonOf(packet: VzPacket, encoding: 'gb18030' | 'utf8' = 'gb18030'): Record<string, unknown> | null {
  if (packet.type !== PacketType.data) return null
  const end = packet.body.indexOf(0)
  const bytes = end < 0 ? packet.body : packet.body.subarray(0, end)
  try {
    const value: unknown = JSON.parse(iconv.decode(bytes, encoding))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** The recognition's plate, read in whichever encoding gives a valid plate (GB2312 as documented first). */
function recognisedPlate(packet: VzPacket): { answer: Record<string, unknown>; plate: string | null } {
  let answer: Record<string, unknown> | null = null
  for (const encoding of ['gb18030', 'utf8'] as const) {
    const json = vzJsonOf(packet, encoding)
    answer ??= json
    const license = (json?.PlateResult as Record<string, unknown> | undefined)?.license
    const plate = plateSchema.safeParse(typeof license === 'string' ? license.replace(/\s+/g, '') : '')
    if (json && plate.success) return { answer: json, plate: plate.data }
  }
  if (!answer) throw new CameraCommandError('读取最近识别结果：摄像机回复不是 JSON')
  return { answer, plate: null }
}

export interface VzenithTcpOptions {
  /** The camera's IO output (1-based, as 输出1/输出2) wired to the controller's open input, and its close input or null. */
  openOutput: number
  closeOutput: number | null
  /** How long the output stays closed before it opens again (ioctl `delay`). */
  pulseMs: number
}

const isHeartbeat = (packet: VzPacket) => packet.type === PacketType.heartbeat
const isAnswerTo = (...commands: string[]) => (packet: VzPacket) => commands.includes(String((vzJsonOf(packet) ?? vzJsonOf(packet, 'utf8'))?.cmd))

function checkState(answer: Record<string, unknown>, what: string): void {
  if (answer.state_code !== undefined && Number(answer.state_code) !== 200) {
    throw new CameraCommandError(`${what}：摄像机拒绝（state_code ${String(answer.state_code)}${answer.err_msg ? `，${String(answer.err_msg)}` : ''}）`)
  }
}

/** The barrier through the 臻识 camera's IO output and inputs, over its TCP channel. */
export function vzenithTcpApi(channel: VzenithChannel, options: VzenithTcpOptions): CameraBarrierApi {
  const command = (body: Record<string, unknown>) => encodePacket(PacketType.data, channel.nextSn(), Buffer.from(JSON.stringify(body), 'utf8'))
  const pulse = async (output: number) => {
    await channel.exchange([command({ cmd: 'ioctl', io: output - 1, value: 2, delay: options.pulseMs }), encodeHeartbeat()], isHeartbeat)
  }
  return {
    open: () => pulse(options.openOutput),
    // A controller that lowers by itself (auto-close) has no close wire: nothing to send.
    lower: () => (options.closeOutput === null ? Promise.resolve() : pulse(options.closeOutput)),
    async inputs(numbers) {
      const states = new Map<number, boolean>()
      for (const number of numbers) {
        const answer = vzJsonOf(await channel.exchange([command({ cmd: 'get_gpio_value', gpio: number - 1 })], isAnswerTo('get_gpio_value')))!
        checkState(answer, `读取输入 ${number}`)
        if (answer.value !== 0 && answer.value !== 1) throw new CameraCommandError(`读取输入 ${number}：摄像机回复中没有 value`)
        states.set(number, answer.value === 1)
      }
      return states
    },
    async probe() {
      await channel.exchange([encodeHeartbeat()], isHeartbeat)
    },
    async lastPlate() {
      const { answer, plate } = recognisedPlate(await channel.exchange([command({ cmd: 'getivsresult', image: false, format: 'json' })], isAnswerTo('ivs_result', 'getivsresult')))
      checkState(answer, '读取最近识别结果')
      return plate ? { plate, at: String(answer.timeString ?? '') } : null
    },
    close: () => channel.close()
  }
}
