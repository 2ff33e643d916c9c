/** A delete button with a confirm step; a refusal (e.g. a 409) is shown in the server's words. */
import { useState } from 'react'

import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'

export function ConfirmDelete({ what, onConfirm, busy, error, warning }: {
  /** What is deleted, as the user names it ("pipeline churn v2"). */
  what: string
  onConfirm: () => void
  busy: boolean
  error: unknown
  /** What else goes with it, shown while confirming. */
  warning?: string
}) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming) {
    return <Button variant="danger" onClick={() => setConfirming(true)}>Delete</Button>
  }
  return (
    <div role="group" aria-label={`Delete ${what}`} className="flex max-w-sm flex-col items-end gap-2">
      <p className="text-right text-sm text-slate-700">Delete {what}? {warning ?? 'This cannot be undone.'}</p>
      <div className="flex gap-2">
        <Button variant="danger" busy={busy} onClick={onConfirm}>Confirm delete</Button>
        <Button variant="ghost" onClick={() => setConfirming(false)}>Keep</Button>
      </div>
      <ErrorNotice error={error} />
    </div>
  )
}
