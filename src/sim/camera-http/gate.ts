/**
 * The barrier a simulated plate camera drives through its relay, with the loop detector and limit switches wired to
 * its alarm inputs: the arm takes `travelMs` to move, will not lower onto an occupied loop (it waits), and lowers
 * by itself once a truck has passed under it. What the camera's HTTP API and alarm inputs report comes from here.
 */
export class SimGate {
  arm: 'up' | 'down' | 'moving' = 'down'
  loop = false
  /** Every command the camera took, in order, for the tests. */
  readonly commands: { command: 'open' | 'close'; at: number }[] = []
  /** Told of every command as it is taken (a benchmark times the booth by it). */
  onCommand: ((command: 'open' | 'close') => void) | null = null
  private timer: NodeJS.Timeout | null = null
  private lowerWaiting = false
  private passedUnder = false

  constructor(private readonly travelMs: number) {}

  open(): void {
    this.commands.push({ command: 'open', at: Date.now() })
    this.onCommand?.('open')
    this.lowerWaiting = false
    this.move('up')
  }

  close(): void {
    this.commands.push({ command: 'close', at: Date.now() })
    this.onCommand?.('close')
    this.lower()
  }

  /** 遥控器: the arm rises with no command through the camera. */
  remote(): void {
    this.move('up')
  }

  /** A vehicle over the loop for `loopMs`. */
  truck(loopMs: number): void {
    this.loop = true
    if (this.arm === 'up') this.passedUnder = true
    setTimeout(() => {
      this.loop = false
      if (this.lowerWaiting || this.passedUnder) {
        this.passedUnder = false
        this.lower()
      }
    }, loopMs).unref()
  }

  state() {
    return { arm: this.arm, loop: this.loop, commands: this.commands }
  }

  private lower(): void {
    if (this.loop) {
      this.lowerWaiting = true
      return
    }
    this.lowerWaiting = false
    this.move('down')
  }

  private move(to: 'up' | 'down'): void {
    if (this.arm === to) return
    if (this.timer) clearTimeout(this.timer)
    this.arm = 'moving'
    this.timer = setTimeout(() => {
      this.arm = to
      this.timer = null
    }, this.travelMs)
    this.timer.unref()
  }
}
