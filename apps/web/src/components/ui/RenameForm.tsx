/** A "Rename" button that opens an inline form; a refusal (403, 409, 422) is shown in the server's words. */
import { useState, type FormEvent } from 'react'

import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'

export interface Naming {
  name: string
  description?: string
}

export function RenameForm({ what, current, onSave, busy, error, onClose }: {
  /** What is renamed, as the user names it ("workspace", "project"). */
  what: string
  /** The current values; a `description` (even empty) adds a Description field. */
  current: Naming
  /** Called with the trimmed values; call `done` once saved to close the form. */
  onSave: (values: Naming, done: () => void) => void
  busy: boolean
  error: unknown
  /** Called when the form closes (saved or cancelled), e.g. to clear a stale error. */
  onClose?: () => void
}) {
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(current.name)
  const [description, setDescription] = useState(current.description ?? '')
  const withDescription = current.description !== undefined

  const open = () => {
    setName(current.name)
    setDescription(current.description ?? '')
    setEditing(true)
  }
  const close = () => {
    setEditing(false)
    onClose?.()
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onSave({ name: name.trim(), ...(withDescription ? { description: description.trim() } : {}) }, close)
  }

  if (!editing) return <Button variant="secondary" onClick={open}>Rename</Button>
  return (
    <form onSubmit={submit} aria-label={`Rename ${what}`} className="flex w-72 flex-col gap-2">
      <Field label={`${what[0]?.toUpperCase() ?? ''}${what.slice(1)} name`}>
        {(p) => <Input {...p} required maxLength={200} autoFocus value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {withDescription && (
        <Field label="Description">
          {(p) => <Input {...p} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
      )}
      <div className="flex justify-end gap-2">
        <Button type="submit" busy={busy} disabled={!name.trim()}>Save</Button>
        <Button variant="ghost" onClick={close}>Cancel</Button>
      </div>
      <ErrorNotice error={error} />
    </form>
  )
}
