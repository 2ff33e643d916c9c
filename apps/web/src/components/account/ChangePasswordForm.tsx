/**
 * Change the signed-in user's password: current, new, and the new one again. The server checks
 * the current one, ends every other session and answers with this session's new tokens.
 */
import { useState, type FormEvent } from 'react'

import { useChangePassword } from '@/api/queries/auth'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'

export const MIN_PASSWORD = 8

export function ChangePasswordForm() {
  const change = useChangePassword()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const short = next.length > 0 && next.length < MIN_PASSWORD
  const mismatch = again.length > 0 && again !== next

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (short || mismatch || !next) return
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('')
          setNext('')
          setAgain('')
        },
      },
    )
  }

  return (
    <form onSubmit={submit} className="max-w-sm space-y-3" aria-label="Change password">
      <Field label="Current password">
        {(p) => (
          <Input {...p} type="password" autoComplete="current-password" required value={current}
            onChange={(e) => { change.reset(); setCurrent(e.target.value) }} />
        )}
      </Field>
      <Field label="New password" hint={`At least ${MIN_PASSWORD} characters.`} error={short ? `Use at least ${MIN_PASSWORD} characters.` : null}>
        {(p) => (
          <Input {...p} type="password" autoComplete="new-password" required value={next}
            onChange={(e) => { change.reset(); setNext(e.target.value) }} />
        )}
      </Field>
      <Field label="New password again" error={mismatch ? 'The two new passwords differ.' : null}>
        {(p) => (
          <Input {...p} type="password" autoComplete="new-password" required value={again}
            onChange={(e) => { change.reset(); setAgain(e.target.value) }} />
        )}
      </Field>
      <ErrorNotice error={change.error} />
      {change.isSuccess && (
        <p role="status" className="text-sm text-green-800">
          Password changed. Every other session of this account has been signed out.
        </p>
      )}
      <Button type="submit" busy={change.isPending} disabled={!current || !next || short || mismatch || again !== next}>
        Change password
      </Button>
    </form>
  )
}
