/**
 * Lets signed-in users through. Restores the session on reload from the persisted tokens (one
 * `GET /auth/me`, refreshing once if the access token expired); otherwise sends the user to
 * `/setup` while no account exists, else to `/login`, remembering where they were going.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect, type ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router-dom'

import { buildMeQuery, buildSetupStatusQuery } from '@/api/queries/auth'
import { needsSetup } from '@/api/session'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { ApiError } from '@/lib/errors'
import { useAuthStore } from '@/stores/auth'

function FullPage({ children }: { children: ReactNode }) {
  return <div className="flex min-h-screen items-center justify-center p-6">{children}</div>
}

export function AuthGate({ children }: { children: ReactNode }) {
  const token = useAuthStore((s) => s.accessToken)
  const location = useLocation()
  const me = useQuery({ ...buildMeQuery(), enabled: !!token })
  const setup = useQuery({ ...buildSetupStatusQuery(), enabled: !token })
  const from = `${location.pathname}${location.search}`
  const unauthorized = me.error instanceof ApiError && me.error.status === 401

  useEffect(() => {
    // The tokens are no good (refresh failed too): forget them and fall through to sign-in.
    if (unauthorized) useAuthStore.getState().clear()
  }, [unauthorized])

  if (token) {
    if (me.isPending) return <FullPage><Spinner label="Restoring your session…" /></FullPage>
    if (me.isError) {
      if (unauthorized) return <Navigate to="/login" replace state={{ from }} />
      return <FullPage><ErrorNotice error={me.error} title="Could not reach Podium" /></FullPage>
    }
    return <>{children}</>
  }
  if (setup.isPending) return <FullPage><Spinner /></FullPage>
  if (!setup.isError && needsSetup(setup.data)) return <Navigate to="/setup" replace />
  return <Navigate to="/login" replace state={{ from }} />
}
