import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, Navigate, useNavigate } from 'react-router-dom'

import { buildSetupStatusQuery, useRegister } from '@/api/queries/auth'
import { needsSetup } from '@/api/session'
import { AuthShell } from '@/components/AuthShell'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'

const MIN_PASSWORD = 8

/** Self-service sign-up, only while the server allows registration. */
export default function RegisterPage() {
  const status = useQuery(buildSetupStatusQuery())
  const register = useRegister()
  const navigate = useNavigate()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const short = password.length > 0 && password.length < MIN_PASSWORD

  if (status.isPending) return <AuthShell title="Create an account"><Spinner /></AuthShell>
  if (needsSetup(status.data)) return <Navigate to="/setup" replace />
  if (!status.data?.registration_enabled && !register.isPending) {
    return (
      <AuthShell title="Registration is closed" subtitle="Ask a workspace owner to create an account for you.">
        <Link to="/login" className="text-sm font-medium text-teal-800 hover:underline">Back to sign in</Link>
      </AuthShell>
    )
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!short) register.mutate({ email, password }, { onSuccess: () => navigate('/', { replace: true }) })
  }

  return (
    <AuthShell title="Create an account">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Email">
          {(p) => <Input {...p} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password" error={short ? `Use at least ${MIN_PASSWORD} characters.` : null}>
          {(p) => <Input {...p} type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <ErrorNotice error={register.error} />
        <Button type="submit" className="w-full" busy={register.isPending}>Create account</Button>
      </form>
      <p className="mt-4 text-center text-sm text-slate-500">
        Have an account? <Link to="/login" className="font-medium text-teal-800 hover:underline">Sign in</Link>
      </p>
    </AuthShell>
  )
}
