import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Navigate, useNavigate } from 'react-router-dom'

import { buildSetupStatusQuery, useBootstrap } from '@/api/queries/auth'
import { needsSetup } from '@/api/session'
import { AuthShell } from '@/components/AuthShell'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'

const MIN_PASSWORD = 8

/** First-run bootstrap: only reachable while no account exists. */
export default function SetupPage() {
  const status = useQuery(buildSetupStatusQuery())
  const bootstrap = useBootstrap()
  const navigate = useNavigate()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [workspace, setWorkspace] = useState('My workspace')
  const short = password.length > 0 && password.length < MIN_PASSWORD

  if (status.isPending) return <AuthShell title="Welcome to Podium"><Spinner /></AuthShell>
  if (status.isError) return <AuthShell title="Welcome to Podium"><ErrorNotice error={status.error} /></AuthShell>
  if (!needsSetup(status.data) && !bootstrap.isPending) return <Navigate to="/login" replace />

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (short) return
    bootstrap.mutate(
      { email, password, workspace_name: workspace },
      { onSuccess: () => navigate('/', { replace: true }) },
    )
  }

  return (
    <AuthShell title="Create the first account" subtitle="This account owns the first workspace. You can invite others later.">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Email">
          {(p) => <Input {...p} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password" hint={`At least ${MIN_PASSWORD} characters.`} error={short ? `Use at least ${MIN_PASSWORD} characters.` : null}>
          {(p) => (
            <Input {...p} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <Field label="Workspace name">
          {(p) => <Input {...p} required value={workspace} onChange={(e) => setWorkspace(e.target.value)} />}
        </Field>
        <ErrorNotice error={bootstrap.error} />
        <Button type="submit" className="w-full" busy={bootstrap.isPending}>
          Create account
        </Button>
      </form>
    </AuthShell>
  )
}
