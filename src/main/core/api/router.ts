import { createHash } from 'node:crypto'
import {
  commands,
  type Actor,
  isCommandName,
  type ApiError,
  type ApiReply,
  type CommandName,
  type CommandRole,
  type CommandOutput,
  type ParsedInput
} from '@shared/contract'
import { ApiFailure, fieldIssues } from './errors'
import { storageProblem } from '../retention/storage-errors'

/** The caller's login session as its transport keeps it (HTTP cookie, Electron webContents). */
export interface SessionBinding {
  /** Who the transport says is calling (IP address, webContents): the per-client login rate limit counts by it. */
  client: string
  current(): { actor: Actor; since: number } | null
  /** Starts a fresh session for `actor` (a new token: never reuse one across a login). */
  signIn(actor: Actor): void
  signOut(): void
}

/** Who is calling, as the transport established it (a logged-in session), or null before login. */
export interface CallContext {
  actor: Actor | null
  /** Absent for in-process calls (tests, scripts), which cannot log in or out. */
  session?: SessionBinding
}

/** Where the router records every successful command the contract marks `audit`, and every refused call. */
export type AuditSink = (entry: { actor: Actor | null; action: string; subject: string | null; detail: Record<string, unknown> }) => void | Promise<unknown>

/** What serves command `C`, given its already validated input and the caller. */
export type Handler<C extends CommandName> = (input: ParsedInput<C>, context: CallContext) => Promise<CommandOutput<C>> | CommandOutput<C>

/** One handler per command of `C` (an area's commands; a role's are the union of its areas'). */
export type Handlers<C extends CommandName = CommandName> = { [K in C]: Handler<K> }

export interface Router {
  dispatch(command: string, input: unknown, context?: CallContext): Promise<ApiReply<unknown>>
}

/**
 * The Electron-free heart of every transport: checks the command is one this role serves, validates its input against
 * the contract, runs the handler and wraps the result or the error. Transports stay thin wrappers around `dispatch`.
 * A role serves the commands of its areas (`handlers`); every other command, in the contract or not, is unknown here.
 */
export function createRouter(handlers: Partial<Handlers>, log: (line: string) => void = () => {}, audit: AuditSink = () => {}): Router {
  for (const command of Object.keys(handlers)) if (!isCommandName(command)) throw new Error(`the router got a handler for ${command}, which is not in the contract`)
  const serves = (command: string): command is CommandName => isCommandName(command) && Object.prototype.hasOwnProperty.call(handlers, command)
  return {
    async dispatch(command, input, context = { actor: null }) {
      if (!serves(command)) return failure({ code: 'unknown_command', message: `未知命令：${command}` })
      const refusal = roleRefusal(commands[command].role, context.actor)
      if (refusal) {
        if (context.actor) await audit({ actor: context.actor, action: 'denied', subject: command, detail: { code: refusal.code } })
        return failure(refusal)
      }
      const parsed = commands[command].input.safeParse(input ?? {})
      if (!parsed.success) {
        const issues = fieldIssues(parsed.error)
        // The screen reads the message as it is: the Chinese problems only (each issue keeps its field for the form).
        return failure({ code: 'invalid_input', message: issues.map((issue) => issue.message).join('；'), issues })
      }
      try {
        const handler = handlers[command] as (input: unknown, context: CallContext) => Promise<unknown> | unknown
        const result = await handler(parsed.data, context)
        if ('audit' in commands[command]) await audit({ actor: context.actor, action: command, subject: subjectOf(parsed.data), detail: { input: auditable(parsed.data) } })
        return { ok: true, result }
      } catch (error) {
        if (error instanceof ApiFailure) return failure({ code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) })
        log(`command ${command} failed: ${(error as Error).stack ?? String(error)}`)
        const storage = storageProblem(error)
        if (storage) return failure({ code: 'unavailable', message: storage })
        return failure({ code: 'internal', message: `内部错误：${(error as Error).message}` })
      }
    }
  }
}

/** Main enforces roles: the UI hiding a button is a convenience, never the check. */
export function roleRefusal(role: CommandRole, actor: Actor | null): ApiError | null {
  if (role === 'public') return null
  if (!actor) return { code: 'unauthenticated', message: '请先登录' }
  if (role === 'admin' && actor.role !== 'admin') return { code: 'forbidden', message: '此操作需要管理员权限' }
  return null
}

/** Longer texts (images, an imported workbook) are kept in the audit log as their length and hash, not copied. */
const AUDIT_TEXT_LIMIT = 1_000

/** The input as the audit log keeps it: every text over AUDIT_TEXT_LIMIT replaced by its length and SHA-256. */
export function auditable(input: unknown): unknown {
  if (typeof input === 'string') {
    return input.length > AUDIT_TEXT_LIMIT ? { omitted: 'text', length: input.length, sha256: createHash('sha256').update(input).digest('hex') } : input
  }
  if (Array.isArray(input)) return input.map(auditable)
  if (typeof input === 'object' && input !== null) return Object.fromEntries(Object.entries(input).map(([key, value]) => [key, auditable(value)]))
  return input
}

/** What an audited command acted on, for the log's subject column. */
function subjectOf(input: unknown): string | null {
  const fields = input as Record<string, unknown>
  for (const key of ['laneId', 'passageId', 'id', 'username']) {
    if (typeof fields[key] === 'string' || typeof fields[key] === 'number') return `${key}=${fields[key]}`
  }
  return null
}

function failure(error: ApiError): ApiReply<never> {
  return { ok: false, error }
}
