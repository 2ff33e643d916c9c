import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom'

import { buildSetupStatusQuery, useLogin } from '@/api/queries/auth'
import { needsSetup } from '@/api/session'
import { AuthShell } from '@/components/AuthShell'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { useAuthStore } from '@/stores/auth'

export default function LoginPage() {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const login = useLogin()
  const navigate = useNavigate()
  const location = useLocation()
  const signedIn = useAuthStore((s) => !!s.accessToken)
  const setup = useQuery(buildSetupStatusQuery())
  const from = (location.state as { from?: string } | null)?.from ?? '/'

  if (needsSetup(setup.data)) return <Navigate to="/setup" replace />
  if (signedIn && !login.isPending) return <Navigate to={from} replace />

  const submit = (e: FormEvent) => {
    e.preventDefault()
    login.mutate({ email, password }, { onSuccess: () => navigate(from, { replace: true }) })
  }

  return (
    <AuthShell title="Sign in" subtitle="Welcome back to your AutoML studio.">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Email">
          {(p) => <Input {...p} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Password">
          {(p) => (
            <Input {...p} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <ErrorNotice error={login.error} />
        <Button type="submit" className="w-full" busy={login.isPending}>
          Sign in
        </Button>
      </form>
      {setup.data?.registration_enabled && (
        <p className="mt-4 text-center text-sm text-slate-500">
          New here? <Link to="/register" className="font-medium text-teal-800 hover:underline">Create an account</Link>
        </p>
      )}
    </AuthShell>
  )
}
