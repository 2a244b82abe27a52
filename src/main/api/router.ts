import {
  commands,
  type Actor,
  isCommandName,
  type ApiError,
  type ApiReply,
  type CommandName,
  type CommandOutput,
  type ErrorCode,
  type ParsedInput
} from '@shared/contract'

/** Who is calling, as the transport established it (a logged-in session), or null before login. */
export interface CallContext {
  actor: Actor | null
}

/** One handler per command of the contract, given the already validated input and the caller. */
export type Handlers = {
  [C in CommandName]: (input: ParsedInput<C>, context: CallContext) => Promise<CommandOutput<C>> | CommandOutput<C>
}

/** A failure a handler means to show the caller (anything else becomes `internal`). */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ApiFailure'
  }
}

export interface Router {
  dispatch(command: string, input: unknown, context?: CallContext): Promise<ApiReply<unknown>>
}

/**
 * The Electron-free heart of every transport: checks the command exists, validates its input against the contract,
 * runs the handler and wraps the result or the error. Transports stay thin wrappers around `dispatch`.
 */
export function createRouter(handlers: Handlers, log: (line: string) => void = () => {}): Router {
  return {
    async dispatch(command, input, context = { actor: null }) {
      if (!isCommandName(command)) return failure({ code: 'unknown_command', message: `未知命令：${command}` })
      const parsed = commands[command].input.safeParse(input ?? {})
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
        const message = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('；')
        return failure({ code: 'invalid_input', message, issues })
      }
      try {
        const handler = handlers[command] as (input: unknown, context: CallContext) => Promise<unknown> | unknown
        return { ok: true, result: await handler(parsed.data, context) }
      } catch (error) {
        if (error instanceof ApiFailure) return failure({ code: error.code, message: error.message })
        log(`command ${command} failed: ${(error as Error).stack ?? String(error)}`)
        return failure({ code: 'internal', message: `内部错误：${(error as Error).message}` })
      }
    }
  }
}

function failure(error: ApiError): ApiReply<never> {
  return { ok: false, error }
}
