/**
 * The small interfaces the lane sees of its hardware. One adapter per protocol implements each (Modbus RTU barrier,
 * LED display protocol, ONVIF camera, weighbridge indicator), chosen by config through the table of device kinds
 * (kinds.ts); simulators speak the wire protocol, never these interfaces, so the adapter under test is the one a plant
 * runs.
 */

export type DeviceKind = 'camera' | 'barrier' | 'display' | 'scale'

/** online: answered recently; offline: stopped answering or its port is gone; error: answers, but wrongly. */
export type DeviceStatus = 'online' | 'offline' | 'error'

export interface DeviceHealth {
  /** Stable id, e.g. `lane-in-1/barrier`. */
  id: string
  kind: DeviceKind
  laneId: string | null
  status: DeviceStatus
  /** Epoch ms of the last good answer, null if never. */
  lastSeenAt: number | null
  /** The last problem in words a technician understands, null when healthy. */
  error: string | null
}

/** Who a device is: its health id (`in1/barrier`, `commission/display`) and its lane, if any. */
export interface DeviceIdentity {
  id: string
  laneId: string | null
}

/** Every adapter reports its health and can be stopped (closing ports, sockets, timers). */
export interface Device {
  health(): DeviceHealth
  onHealth(listener: (health: DeviceHealth) => void): () => void
  stop(): Promise<void>
}

export type ArmPosition = 'up' | 'down' | 'unknown'

/** What the barrier controller's inputs say: the arm limit switches and the loop detector under the arm. */
export interface BarrierSignals {
  arm: ArmPosition
  /** A vehicle is over the loop detector; null when the controller has no loop input or has not answered. */
  loopOccupied: boolean | null
  /** Epoch ms these signals were read. */
  at: number
}

export interface Barrier extends Device {
  /** Resolves once the controller acknowledged the command (not when the arm is up); rejects if it did not. */
  open(): Promise<void>
  lower(): Promise<void>
  signals(): BarrierSignals
  /** Called on every change of arm or loop, in order. */
  onSignals(listener: (signals: BarrierSignals) => void): () => void
}

export type DisplayColour = 'red' | 'green' | 'yellow'

export interface DisplayLine {
  text: string
  colour: DisplayColour
}

export interface Display extends Device {
  /** Shows the lines (top first) and speaks `voice` where the device has a voice channel. */
  show(lines: DisplayLine[], voice?: string): Promise<void>
}

/** A plate read as a camera reports it, before the boundary normalises and validates it. */
export interface CameraPlateRead {
  laneId: string
  plate: string
  /** B7.1 colour code when the camera reports one. */
  colour: string | null
  /** 0–1 */
  confidence: number | null
  at: number
  image: Uint8Array | null
}

export interface Camera extends Device {
  /** One JPEG frame from the camera's snapshot URI. */
  snapshot(): Promise<Uint8Array>
  /** Plate reads from the camera's event service, for cameras that recognise plates themselves. */
  onPlate(listener: (read: CameraPlateRead) => void): () => void
}

export interface WeightReading {
  /** Gross weight in kilograms as the indicator prints it. */
  kg: number
  /** The indicator's own stability flag, or ours: unchanged within the tolerance for the settle time. */
  stable: boolean
  at: number
}

export interface Scale extends Device {
  current(): WeightReading | null
  onWeight(listener: (reading: WeightReading) => void): () => void
}

/** A lane's devices as its config names them (`lanes[].barrier|display|scale`), null where it has none. */
export interface LaneDevices {
  barrier: Barrier | null
  display: Display | null
  scale: Scale | null
}

export type LaneDeviceRole = keyof LaneDevices
