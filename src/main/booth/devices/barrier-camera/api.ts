/** What a camera brand's HTTP API gives the camera barrier: open, lower, its alarm inputs, a cheap health probe. */
export interface CameraBarrierApi {
  /** Resolves once the camera accepted the command; rejects with CameraCommandError or HttpAuthError. */
  open(): Promise<void>
  lower(): Promise<void>
  /** The active state of each alarm input asked for (1-based, as the camera's web page numbers them). */
  inputs(numbers: readonly number[]): Promise<Map<number, boolean>>
  /** Any authenticated answer proves the camera is there and takes our credentials. */
  probe(): Promise<void>
  /** The last plate the camera recognised (commissioning), where its API offers it. */
  lastPlate?(): Promise<{ plate: string; at: string } | null>
  /** Releases a kept connection (the 臻识 TCP channel). */
  close?(): void
}

/** The camera answered, but not with what its API documents (a refusal, an error page, garbage). */
export class CameraCommandError extends Error {
  override name = 'CameraCommandError'
}
