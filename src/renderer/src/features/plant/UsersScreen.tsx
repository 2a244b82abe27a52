import { useCallback, useState } from 'react'
import type { Role } from '@shared/contract'
import { describeError } from '../../api'
import { formatDateTime } from '../../format'
import { fill, useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { PlantScreen, PlantTable, useLoaded } from './shared'

/**
 * 用户管理 (admins): the plant's users, who log in here and, down the feed, at every booth. A login name is what the
 * user types (kbd), shown as it is.
 */
export default function UsersScreen() {
  const t = useT()
  const { call } = useSession()
  const load = useCallback(() => call('users.list', {}), [call])
  const { value: users, error, reload } = useLoaded(load, [])
  const [form, setForm] = useState({ username: '', name: '', role: 'guard' as Role, password: '' })
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const set = (field: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [field]: event.target.value }))
  return (
    <PlantScreen label={t.plant.usersTitle} testId="plant-users" error={error}>
      <form
        className="plant-filters"
        onSubmit={(event) => {
          event.preventDefault()
          call('users.add', form).then(
            (user) => (setMessage({ ok: true, text: fill(t.plant.added, { name: user.name }) }), setForm({ username: '', name: '', role: 'guard', password: '' }), reload()),
            (failure: unknown) => setMessage({ ok: false, text: describeError(failure) })
          )
        }}
      >
        <label>
          {t.plant.username}
          <input value={form.username} onChange={set('username')} data-testid="plant-user-username" autoComplete="off" />
        </label>
        <label>
          {t.plant.name}
          <input value={form.name} onChange={set('name')} data-testid="plant-user-name" />
        </label>
        <label>
          {t.plant.role}
          <select value={form.role} onChange={set('role')} data-testid="plant-user-role">
            <option value="guard">{t.role.guard}</option>
            <option value="admin">{t.role.admin}</option>
          </select>
        </label>
        <label>
          {t.plant.password}
          <input type="password" value={form.password} onChange={set('password')} data-testid="plant-user-password" autoComplete="new-password" />
        </label>
        <button type="submit" className="button" data-testid="plant-user-add">
          {t.plant.addUser}
        </button>
      </form>
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <PlantTable headings={[t.plant.username, t.plant.name, t.plant.role, t.plant.createdAt]}>
        {users.map((user) => (
          <tr key={user.username} data-testid="plant-user">
            <td>
              <kbd>{user.username}</kbd>
            </td>
            <td>{user.name}</td>
            <td>{t.role[user.role]}</td>
            <td>{formatDateTime(user.createdAt)}</td>
          </tr>
        ))}
      </PlantTable>
    </PlantScreen>
  )
}
