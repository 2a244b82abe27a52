import { Modal } from 'antd'
import { useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react'
import { useT } from '../../i18n'

interface DialogFrameProps {
  title: string
  testId: string
  sending: boolean
  error: string | null
  onSubmit(): void
  onClose(): void
  children: ReactNode
  submitLabel?: string
  /** A viewer has nothing to submit. */
  readOnly?: boolean
  width?: number
}

/** Enter submits from a select or a checkbox too, as it does from a text field: the guard never needs the mouse. */
function submitOnEnter(event: KeyboardEvent<HTMLFormElement>) {
  const target = event.target as HTMLElement
  if (event.key !== 'Enter' || !(target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'checkbox'))) return
  event.preventDefault()
  event.currentTarget.requestSubmit()
}

/**
 * Every dialog of the board: an antd Modal (focus trapped, Esc closes) without animations, so the guard's next key
 * lands at once; a native form so Enter submits. The host puts focus back where the guard was when it closes.
 */
export function DialogFrame({ title, testId, sending, error, onSubmit, onClose, children, submitLabel, readOnly, width }: DialogFrameProps) {
  const t = useT()
  const form = useRef<HTMLFormElement>(null)
  // The modal focuses its own frame once it is shown, and its focus trap sends focus that is still outside to its
  // first button (the close ×). afterOpenChange runs after both, so the guard's first field gets the focus and typing
  // can start at once. (A zero timer raced the modal: on a loaded machine focus sometimes ended on the ×.)
  const focusFirstField = (open: boolean) => {
    if (open) form.current?.querySelector<HTMLElement>('input, select, textarea, [data-testid="dialog-cancel"]')?.focus()
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!sending) onSubmit()
  }
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      footer={null}
      transitionName=""
      maskTransitionName=""
      focusable={{ focusTriggerAfterClose: false }}
      afterOpenChange={focusFirstField}
      width={width ?? 480}
    >
      <form ref={form} className="dialog-form" onSubmit={submit} onKeyDown={submitOnEnter} noValidate data-testid={testId}>
        {children}
        {error && (
          <p className="form-error" role="alert" data-testid="dialog-error">
            {error}
          </p>
        )}
        <div className="dialog-form__buttons">
          <button type="button" className="button" data-testid="dialog-cancel" onClick={onClose}>
            {readOnly ? t.actions.ok : t.actions.cancel} <kbd>Esc</kbd>
          </button>
          {!readOnly && (
            <button type="submit" className="button button--primary" data-testid="dialog-submit" disabled={sending}>
              {sending ? t.actions.sending : (submitLabel ?? t.actions.ok)} <kbd>Enter</kbd>
            </button>
          )}
        </div>
      </form>
    </Modal>
  )
}
