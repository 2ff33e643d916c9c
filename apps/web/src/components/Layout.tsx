/** The signed-in frame: top bar with workspace navigation, the user and sign out. */
import { useQuery } from '@tanstack/react-query'
import { Suspense } from 'react'
import { Link, NavLink, Outlet, useNavigate } from 'react-router-dom'

import { buildMeQuery, useLogout } from '@/api/queries/auth'
import { Button } from '@/components/ui/Button'
import { Spinner } from '@/components/ui/feedback'
import { cn } from '@/lib/cn'
import { useUiStore } from '@/stores/ui'

function NavItem({ to, children, end }: { to: string; children: string; end?: boolean }) {
  return (
    <NavLink
      to={to}
      end={end}
      className={({ isActive }) =>
        cn(
          'rounded-md px-2.5 py-1.5 text-sm font-medium',
          isActive ? 'bg-slate-800 text-white' : 'text-slate-300 hover:bg-slate-800/60 hover:text-white',
        )
      }
    >
      {children}
    </NavLink>
  )
}

export function Layout() {
  const me = useQuery(buildMeQuery())
  const ws = useUiStore((s) => s.workspaceId)
  const logout = useLogout()
  const navigate = useNavigate()

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 bg-slate-900 text-white shadow">
        <div className="mx-auto flex h-12 max-w-screen-2xl items-center gap-4 px-4 lg:px-6">
          <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <img src="/favicon.svg" alt="" className="size-6" />
            Podium
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1">
            <NavItem to="/" end>
              Workspaces
            </NavItem>
            {ws && (
              <>
                <NavItem to={`/workspaces/${ws}`} end>
                  Overview
                </NavItem>
                <NavItem to={`/workspaces/${ws}/pipelines`}>Pipelines</NavItem>
                <NavItem to={`/workspaces/${ws}/deployments`}>Deployments</NavItem>
              </>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            {me.data?.is_admin && (
              <>
                <NavItem to="/users">Users</NavItem>
                <NavItem to="/audit-log">Audit log</NavItem>
              </>
            )}
            {me.data && (
              <Link
                to="/account"
                title="Account and password"
                className="text-slate-300 hover:text-white hover:underline"
                data-testid="current-user"
              >
                <span className="hidden sm:inline">{me.data.email}</span>
                <span className="sm:hidden">Account</span>
              </Link>
            )}
            <Button
              variant="inverse"
              size="sm"
              busy={logout.isPending}
              onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
            >
              Sign out
            </Button>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-screen-2xl px-4 py-6 lg:px-6">
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  )
}
