/**
 * User administration from the command line, for the first admin of a real install (the UI needs one to log in).
 *
 *   npm run users -- add <username> --name 张三 --role admin --config booth.json    (password read from stdin)
 *   npm run users -- list --config booth.json
 *   npm run users -- passwd <username> --config booth.json
 *
 * The password is read from standard input (one line), so it stays out of the shell history and the process list:
 *   read -s PW && printf '%s\n' "$PW" | npm run users -- add admin --name 管理员 --role admin --config booth.json
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { newUserInputSchema, roleSchema } from '@shared/contract'
import { AuditLog } from '../../core/audit'
import { openStoreFromArgs } from './data-folder'
import { Users } from '../../core/auth/users'

const CLI_ACTOR = { userId: 'cli', name: '命令行', role: 'admin' } as const

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (input is not hidden; prefer piping it): ')
  const lines = createInterface({ input: process.stdin })
  for await (const line of lines) {
    lines.close()
    return line
  }
  throw new Error('no password on standard input')
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { config: { type: 'string' }, data: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'guard' } }
  })
  const [verb, username] = positionals
  const store = openStoreFromArgs(values)
  try {
    const users = new Users(store.repos.users)
    const audit = new AuditLog(store.repos.audit)
    if (verb === 'list') {
      for (const user of await users.list()) process.stdout.write(`${user.username}\t${user.role}\t${user.name}\t${user.createdAt}\n`)
    } else if (verb === 'add' && username) {
      const input = newUserInputSchema.parse({ username, name: values.name ?? username, role: roleSchema.parse(values.role), password: await readPassword() })
      const user = await users.add(input)
      await audit.append({ actor: CLI_ACTOR, action: 'users.add', subject: `username=${user.username}`, detail: { username: user.username, role: user.role } })
      process.stdout.write(`added ${user.role} ${user.username}\n`)
    } else if (verb === 'passwd' && username) {
      const password = newUserInputSchema.shape.password.parse(await readPassword())
      if (!(await users.setPassword(username, password))) throw new Error(`no user ${username}`)
      await audit.append({ actor: CLI_ACTOR, action: 'users.passwd', subject: `username=${username}` })
      process.stdout.write(`password of ${username} changed\n`)
    } else {
      throw new Error('usage: users add <username> [--name N] [--role guard|admin] | users list | users passwd <username>; plus --config FILE or --data DIR')
    }
  } finally {
    store.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(1)
})
