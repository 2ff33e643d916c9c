import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import type { AuditEvent, User } from '@/api/types'
import { Layout } from '@/components/Layout'
import AuditLogPage from '@/pages/AuditLogPage'
import { useAuthStore } from '@/stores/auth'
import { T0 } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, requestsTo } from '@/test/server'

const LOG = '/api/v1/audit-log'
const admin: User = { id: 'u1', email: 'ada@example.com', display_name: 'Ada', is_admin: true, is_active: true, created_at: T0 }
const bob: User = { id: 'u2', email: 'bob@example.com', display_name: 'Bob', is_admin: false, is_active: true, created_at: T0 }
const row = (action: string, workspace: string | null, outcome = 'success'): AuditEvent => ({
  id: `${action}-${workspace}`,
  at: T0,
  actor_id: null,
  actor_email: 'mallory@example.com',
  workspace_id: workspace,
  action,
  resource_type: action.split('.')[0] ?? '',
  resource_id: '',
  outcome,
  client: '10.0.0.7',
  detail: {},
})

describe('AuditLogPage', () => {
  it('shows an administrator the whole instance’s log, with each row’s workspace; filters and exports it', async () => {
    mockApi({
      'GET /api/v1/auth/me': admin,
      [`GET ${LOG}`]: (req) =>
        req.url.searchParams.get('format') === 'csv'
          ? new Response('at,action\n', { headers: { 'Content-Type': 'text/csv' } })
          : {
              data: [row('auth.login', null, 'failure'), row('project.create', '0a1b2c3d-0000-4000-8000-000000000000')],
              count: 2,
              total: 2,
              limit: 50,
              offset: 0,
            },
    })
    URL.createObjectURL = vi.fn(() => 'blob:x')
    URL.revokeObjectURL = vi.fn()
    renderRoute(<AuditLogPage />, { path: '/audit-log', url: '/audit-log' })
    const table = await screen.findByRole('table', { name: 'Audit log' })
    expect(within(table).getByRole('columnheader', { name: 'Workspace' })).toBeInTheDocument()
    expect(within(table).getByText('auth.login')).toBeInTheDocument()
    expect(within(table).getByTitle('this Podium: sign-ins and accounts')).toHaveTextContent('—')
    expect(within(table).getByText('0a1b2c3d')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Action'), 'auth.')
    await user.click(screen.getByRole('button', { name: 'Filter' }))
    await waitFor(() => expect(requestsTo(LOG).at(-1)?.url.searchParams.get('action')).toBe('auth.'))
    await user.click(screen.getByRole('button', { name: 'Export CSV' }))
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled())
    const csv = requestsTo(LOG).find((r) => r.url.searchParams.get('format') === 'csv')
    expect(csv?.url.searchParams.get('action')).toBe('auth.')
  })

  it('tells anyone else it is for administrators, and asks the server nothing', async () => {
    mockApi({ 'GET /api/v1/auth/me': bob })
    renderRoute(<AuditLogPage />, { path: '/audit-log', url: '/audit-log' })
    expect(await screen.findByText("Only administrators read this Podium's audit log")).toBeInTheDocument()
    expect(screen.queryByRole('table')).not.toBeInTheDocument()
    expect(requestsTo(LOG)).toHaveLength(0)
  })
})

describe('Layout audit log link', () => {
  it('is shown to administrators only', async () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    mockApi({ 'GET /api/v1/auth/me': admin })
    const { unmount } = renderRoute(<Layout />)
    expect(await screen.findByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/audit-log')
    unmount()
    mockApi({ 'GET /api/v1/auth/me': bob })
    renderRoute(<Layout />)
    await waitFor(() => expect(screen.getByTestId('current-user')).toHaveTextContent('bob@example.com'))
    expect(screen.queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument()
  })
})
