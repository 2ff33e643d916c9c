/**
 * The invitation link: shows the workspace and role, then accepts — creating the account with a
 * password, or as the signed-in account of the invited email — and opens the workspace.
 */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'

import { buildInvitationPreviewQuery, useAcceptInvitation } from '@/api/queries/invitations'
import { AuthShell } from '@/components/AuthShell'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { useAuthStore } from '@/stores/auth'

export default function AcceptInvitationPage() {
  const { token = '' } = useParams()
  const preview = useQuery(buildInvitationPreviewQuery(token))
  const accept = useAcceptInvitation(token)
  const signedIn = useAuthStore((s) => !!s.accessToken)
  const setTokens = useAuthStore((s) => s.setTokens)
  const navigate = useNavigate()
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = preview.data?.account_exists ? {} : { password, display_name: name.trim() }
    accept.mutate(body, {
      onSuccess: (done) => {
        if (done.tokens) setTokens(done.tokens)
        navigate(`/workspaces/${done.workspace_id}`)
      },
    })
  }

  return (
    <AuthShell title="Join a workspace">
      {preview.isPending && <Spinner />}
      <ErrorNotice error={preview.error} title="This invitation cannot be used" />
      {preview.data && (
        <form onSubmit={submit} className="space-y-4">
          <p className="text-sm text-slate-700">
            You are invited to <strong>{preview.data.workspace_name}</strong> as <strong>{preview.data.role}</strong>,
            as {preview.data.email}.
          </p>
          {preview.data.account_exists ? (
            signedIn ? (
              <p className="text-sm text-slate-600">Accept with your signed-in account ({preview.data.email}).</p>
            ) : (
              <p className="text-sm text-slate-600">
                An account for {preview.data.email} exists: <Link className="text-teal-700 underline" to="/login">sign in</Link>, then open this link again.
              </p>
            )
          ) : (
            <>
              <Field label="Your name">{(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
              <Field label="Choose a password" hint="At least 8 characters.">
                {(p) => <Input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
              </Field>
            </>
          )}
          <ErrorNotice error={accept.error} />
          <Button
            type="submit"
            busy={accept.isPending}
            disabled={preview.data.account_exists ? !signedIn : password.length < 8}
          >
            Accept invitation
          </Button>
        </form>
      )}
    </AuthShell>
  )
}
