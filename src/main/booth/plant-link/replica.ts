import type { Verdict } from '@shared/contract'
import type { Log } from '../../core/log'
import type { ReportedLane } from '../../core/plant-link'
import type { Clock } from '../../core/time'
import type { VehicleVerifier } from '../lane/verify'
import type { PlantReplica, ReplicaScope } from '../store/plant-replica'
import type { PlantLink } from './client'

/**
 * Keeps the booth's replica following the plant's change feed: every `intervalMs` it asks for the changes after the
 * revision it holds, page by page, each page applied with its revision in one transaction. With the plant away it
 * keeps what it has (the lanes decide from it) and, back, catches up from there.
 */
export class ReplicaFollower {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private lanesReported = false

  constructor(
    private readonly link: PlantLink,
    private readonly replica: PlantReplica,
    /** `lanes`: this booth's, reported to the plant once per run (before the first pull) for its lane-settings screen. */
    private readonly options: { intervalMs: number; clock: Clock; log: Log; scope: ReplicaScope; pageSize?: number; lanes?: readonly ReportedLane[] }
  ) {}

  /** Pulls until the feed is complete; returns how many changes were applied. */
  async catchUp(): Promise<number> {
    if (this.options.lanes && !this.lanesReported) {
      // The report only feeds the plant's screen: a plant that cannot take it does not hold up the feed (tried again next pull).
      try {
        await this.link.reportLanes(this.options.lanes)
        this.lanesReported = true
      } catch (error) {
        this.options.log(`plant replica: lanes not reported: ${(error as Error).message}`)
      }
    }
    let applied = 0
    for (;;) {
      const page = await this.link.changes(this.replica.revision(), this.options.pageSize ?? 500)
      if (page.changes.length > 0) {
        const result = this.replica.apply(page.changes, page.revision, this.options.clock(), this.options.scope)
        applied += result.applied
        if (result.skipped.length > 0) this.options.log(`plant replica: not kept here: ${[...new Set(result.skipped)].join(', ')}`)
      }
      if (page.complete) return applied
    }
  }

  start(): void {
    const tick = () => {
      this.running = this.catchUp()
        .then(() => undefined)
        .catch((error: unknown) => this.options.log(`plant replica: plant not reachable, keeping revision ${this.replica.revision()}: ${(error as Error).message}`))
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, this.options.intervalMs)
        })
    }
    this.timer = setTimeout(tick, 0)
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }
}

/** The lane's verifier at an edge booth: the city platform's verdict through the plant, within the lane's budget. */
export class PlantVerifier implements VehicleVerifier {
  constructor(private readonly link: PlantLink) {}

  checkVehicle(license: string, licenseColor: string, timeoutMs: number): Promise<Verdict> {
    return this.link.verify(license, licenseColor, timeoutMs)
  }
}
