/**
 * The API contract between the main process and the renderer: every command and event, with its zod schema.
 * Each area of the booth keeps its commands and events in its own file here; this file puts them together. The
 * Electron IPC transport, the HTTP+WebSocket transport of the headless host and the renderer client are all generic
 * over `commands` and `events`; main validates every input against them.
 */
import type { z } from 'zod'
import { alarmCommands, alarmEvents } from './alarms'
import { appCommands } from './app'
import { auditCommands } from './audit'
import { authCommands } from './auth'
import { cameraCommands, cameraEvents } from './camera'
import { deviceCommands, deviceEvents } from './devices'
import { laneCommands, laneEvents } from './lanes'
import { laneSettingsCommands } from './lane-settings'
import { ledgerCommands, ledgerEvents } from './ledgers'
import { ocrCommands } from './ocr'
import { passageCommands, passageEvents } from './passages'
import { plantCommands } from './plant'
import { plantExportCommands } from './plant-exports'
import { plantLaneSettingsCommands } from './plant-lane-settings'
import { platformCommands, platformEvents } from './platform'
import { policyCommands } from './policy'
import { reportCommands, reportEvents } from './reports'
import { syncCommands, syncEvents } from './sync'
import { voiceEvents } from './voice'
import { videoCommands, videoEvents } from './video'

export * from './common'
export * from './alarms'
export * from './app'
export * from './audit'
export * from './auth'
export * from './camera'
export * from './devices'
export * from './lanes'
export * from './lane-settings'
export * from './ledgers'
export * from './ocr'
export * from './passages'
export * from './plant'
export * from './plant-exports'
export * from './plant-lane-settings'
export * from './platform'
export * from './policy'
export * from './reports'
export * from './vehicle-class'
export * from './sync'
export * from './voice'
export * from './video'
export { wire } from '../wire'

export const commands = {
  ...appCommands,
  ...authCommands,
  ...auditCommands,
  ...passageCommands,
  ...laneCommands,
  ...cameraCommands,
  ...deviceCommands,
  ...platformCommands,
  ...syncCommands,
  ...alarmCommands,
  ...policyCommands,
  ...reportCommands,
  ...ledgerCommands,
  ...laneSettingsCommands,
  ...videoCommands,
  ...ocrCommands,
  ...plantCommands,
  ...plantExportCommands,
  ...plantLaneSettingsCommands
} as const

export const events = {
  ...passageEvents,
  ...syncEvents,
  ...cameraEvents,
  ...platformEvents,
  ...deviceEvents,
  ...laneEvents,
  ...alarmEvents,
  ...reportEvents,
  ...ledgerEvents,
  ...voiceEvents,
  ...videoEvents
} as const

export type CommandName = keyof typeof commands
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>
export type ParsedInput<C extends CommandName> = z.output<(typeof commands)[C]['input']>
export type CommandOutput<C extends CommandName> = z.output<(typeof commands)[C]['output']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name)
}

/** The whole surface a renderer sees, whatever the transport. */
export interface GateApi {
  invoke<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
