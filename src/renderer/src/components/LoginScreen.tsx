import { useState, type FormEvent } from 'react'
import { describeError } from '../api'
import { useT } from '../i18n'
import { useGate, useSession } from '../state/hooks'
import { describedBy, FormField, type Issues } from './form'

/** Who is on duty: nothing of the board is shown, or reachable, before a login. */
export function LoginScreen() {
  const t = useT()
  const { login } = useSession()
  const demo = useGate((state) => state.info?.demo ?? false)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [issues, setIssues] = useState<Issues>({})
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const problems: Issues = {}
    if (!username.trim()) problems.username = t.login.usernameRequired
    if (!password) problems.password = t.login.passwordRequired
    setIssues(problems)
    if (Object.keys(problems).length > 0 || sending) return
    setSending(true)
    try {
      await login(username.trim(), password)
    } catch (failure) {
      setError(describeError(failure))
      setPassword('')
    } finally {
      setSending(false)
    }
  }

  return (
    <main className="login">
      <form className="login__form" onSubmit={submit} noValidate aria-label={t.login.title}>
        <h1>{t.login.title}</h1>
        <FormField id="login-username" label={t.login.username} issue={issues.username}>
          <input {...describedBy('login-username', issues.username)} data-testid="login-username" autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </FormField>
        <FormField id="login-password" label={t.login.password} issue={issues.password}>
          <input
            {...describedBy('login-password', issues.password)}
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </FormField>
        <button type="submit" className="button button--primary" data-testid="login-submit" disabled={sending}>
          {sending ? t.login.submitting : t.login.submit} <kbd>Enter</kbd>
        </button>
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        {demo && <p className="login__demo" data-testid="demo-accounts">{t.login.demoHint}</p>}
      </form>
    </main>
  )
}
