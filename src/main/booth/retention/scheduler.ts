import type { Store } from '../store'
import { retentionCutoff, sweepRetention, type SweepResult } from './sweep'

/** Runs the retention sweep now and then every `intervalMs`; a failed sweep is logged and retried next time. */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly options: { store: Store; months: number; intervalMs: number; log: (line: string) => void; now?: () => number }
  ) {}

  sweep(): SweepResult {
    const cutoff = retentionCutoff(new Date((this.options.now ?? Date.now)()), this.options.months)
    const result = sweepRetention(this.options.store, cutoff)
    if (result.passagesDeleted > 0 || result.passagesKeptUnsent > 0) {
      this.options.log(
        `retention: deleted ${result.passagesDeleted} passage(s) and ${result.photosDeleted} photo(s) before ${result.cutoff}; kept ${result.passagesKeptUnsent} not yet uploaded`
      )
    }
    return result
  }

  start(): void {
    const run = () => {
      try {
        this.sweep()
      } catch (error) {
        this.options.log(`retention sweep failed: ${(error as Error).message}`)
      }
    }
    run()
    this.timer = setInterval(run, this.options.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
