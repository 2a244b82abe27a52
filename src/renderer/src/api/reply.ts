import { z } from 'zod'
import { ApiCallError, commands, errorCodes, type CommandName, type CommandOutput } from '@shared/contract'

const replySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional()
    })
  })
])

/** Thrown when main answers something the contract does not allow: a bug on one side, not a user error. */
export class ContractViolation extends Error {
  override name = 'ContractViolation'
}

/** The result of a command from its raw reply; a refusal is thrown as ApiCallError. */
export function readReply<C extends CommandName>(command: C, raw: unknown): CommandOutput<C> {
  const reply = replySchema.safeParse(raw)
  if (!reply.success) throw reportViolation(`${command} 的应答格式不正确`, reply.error)
  if (!reply.data.ok) throw new ApiCallError(reply.data.error)
  const result = commands[command].output.safeParse(reply.data.result)
  if (!result.success) throw reportViolation(`${command} 的结果不符合接口约定`, result.error)
  return result.data as CommandOutput<C>
}

/** Logs a contract mismatch (a bug in main or here, never the guard's doing) and returns it for throwing. */
export function reportViolation(what: string, error: z.ZodError): ContractViolation {
  const problem = new ContractViolation(`${what}：${z.prettifyError(error)}`)
  console.error(problem)
  return problem
}
