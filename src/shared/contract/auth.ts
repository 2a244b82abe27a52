/** Login, logout, shift hand-over, and the booth's users. */
import { z } from 'zod'
import { actorSchema, none, roleSchema, type CommandSpec } from './common'

/** Who is on duty at this client, and since when (shift hand-over replaces both). */
export const sessionInfoSchema = z.object({ actor: actorSchema.nullable(), since: z.string().nullable() })
export type SessionInfo = z.infer<typeof sessionInfoSchema>

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_.-]{2,32}$/, '用户名为 2–32 位字母、数字或 _ . -')

export const loginInputSchema = z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(256) }).strict()

export const userSchema = z.object({ username: z.string(), name: z.string(), role: roleSchema, createdAt: z.string() })
export type User = z.infer<typeof userSchema>

export const newUserInputSchema = z
  .object({
    username: usernameSchema,
    name: z.string().trim().min(1, '请填写姓名').max(32),
    role: roleSchema,
    password: z.string().min(8, '密码至少 8 位').max(256)
  })
  .strict()

export const authCommands = {
  'auth.login': { role: 'public', input: loginInputSchema, output: sessionInfoSchema },
  'auth.logout': { role: 'public', input: none, output: sessionInfoSchema },
  'auth.whoami': { role: 'public', input: none, output: sessionInfoSchema },
  /** Shift hand-over: the incoming user signs in on the outgoing user's session, with a note for the log. */
  'auth.handover': {
    role: 'guard',
    input: loginInputSchema.extend({ note: z.string().trim().max(200).default('') }).strict(),
    output: sessionInfoSchema
  },
  'users.list': { role: 'admin', input: none, output: z.array(userSchema) },
  'users.add': { role: 'admin', audit: true, input: newUserInputSchema, output: userSchema }
} as const satisfies Record<string, CommandSpec>
