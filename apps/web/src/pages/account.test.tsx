import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import type { User } from '@/api/types'
import { Layout } from '@/components/Layout'
import AccountPage from '@/pages/AccountPage'
import UsersPage from '@/pages/UsersPage'
import { useAuthStore } from '@/stores/auth'
import { T0 } from '@/test/fixtures'
import { renderRoute } from '@/test/render'
import { mockApi, reply, requestsTo } from '@/test/server'

const admin: User = { id: 'u1', email: 'ada@example.com', display_name: 'Ada', is_admin: true, is_active: true, created_at: T0 }
const bob: User = { id: 'u2', email: 'bob@example.com', display_name: 'Bob', is_admin: false, is_active: true, created_at: T0 }
const fresh = { access_token: 'new-a', refresh_token: 'new-r', token_type: 'bearer', expires_in: 900 }

async function fillPasswords(current: string, next: string, again = next) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('Current password'), current)
  await user.type(screen.getByLabelText('New password'), next)
  await user.type(screen.getByLabelText('New password again'), again)
  return user
}

describe('AccountPage', () => {
  it('changes the password and keeps this session with the new tokens', async () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    mockApi({ 'GET /api/v1/auth/me': admin, 'POST /api/v1/auth/password': fresh })
    renderRoute(<AccountPage />, { path: '/account', url: '/account' })
    expect(await screen.findByTestId('account-email')).toHaveTextContent('ada@example.com')
    const user = await fillPasswords('old-password', 'brand-new-password')
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(await screen.findByText(/Every other session of this account has been signed out/)).toBeInTheDocument()
    expect(requestsTo('/api/v1/auth/password')[0]?.body).toEqual({
      current_password: 'old-password',
      new_password: 'brand-new-password',
    })
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'new-a', refreshToken: 'new-r' })
    expect(screen.getByLabelText('Current password')).toHaveValue('')
  })

  it('shows a wrong current password in the server’s words and keeps the tokens', async () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    mockApi({
      'GET /api/v1/auth/me': bob,
      'POST /api/v1/auth/password': reply(422, { detail: 'current_password is not your current password' }),
    })
    renderRoute(<AccountPage />, { path: '/account', url: '/account' })
    const user = await fillPasswords('guess', 'brand-new-password')
    await user.click(screen.getByRole('button', { name: 'Change password' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('current_password is not your current password')
    expect(useAuthStore.getState().accessToken).toBe('a')
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument()
  })

  it('checks length and the repeated password before sending anything', async () => {
    mockApi({ 'GET /api/v1/auth/me': bob })
    renderRoute(<AccountPage />, { path: '/account', url: '/account' })
    await fillPasswords('old-password', 'short', 'shorter')
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument()
    expect(screen.getByText('The two new passwords differ.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Change password' })).toBeDisabled()
    expect(requestsTo('/api/v1/auth/password')).toHaveLength(0)
  })
})

describe('UsersPage', () => {
  it('disables and enables an account, never the administrator’s own', async () => {
    let users = [admin, bob]
    mockApi({
      'GET /api/v1/auth/me': admin,
      'GET /api/v1/users': () => ({ data: users, count: users.length }),
      'PATCH /api/v1/users/:id': (req) => {
        const body = req.body as { is_active: boolean }
        users = users.map((u) => (u.id === req.params.id ? { ...u, is_active: body.is_active } : u))
        return users.find((u) => u.id === req.params.id)
      },
    })
    renderRoute(<UsersPage />, { path: '/users', url: '/users' })
    const table = await screen.findByRole('table', { name: 'Accounts' })
    const own = within(table).getByText('ada@example.com').closest('tr')!
    expect(within(own).queryByRole('button')).not.toBeInTheDocument()
    expect(within(own).getByText('you')).toBeInTheDocument()
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Disable bob@example.com' }))
    await user.click(await screen.findByRole('button', { name: 'Enable bob@example.com' }))
    await screen.findByRole('button', { name: 'Disable bob@example.com' })
    expect(requestsTo('/api/v1/users/u2').map((r) => r.body)).toEqual([{ is_active: false }, { is_active: true }])
  })

  it('shows the server’s refusal to a non-administrator', async () => {
    mockApi({
      'GET /api/v1/auth/me': bob,
      'GET /api/v1/users': reply(403, { detail: 'only an administrator of this Podium can manage accounts' }),
    })
    renderRoute(<UsersPage />, { path: '/users', url: '/users' })
    expect(await screen.findByRole('alert')).toHaveTextContent('only an administrator')
  })
})

describe('Layout account links', () => {
  it('links the user to their account, and administrators to Users', async () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    mockApi({ 'GET /api/v1/auth/me': admin })
    const { unmount } = renderRoute(<Layout />)
    expect(await screen.findByTestId('current-user')).toHaveAttribute('href', '/account')
    expect(screen.getByRole('link', { name: 'Users' })).toHaveAttribute('href', '/users')
    unmount()
    mockApi({ 'GET /api/v1/auth/me': bob })
    renderRoute(<Layout />)
    await waitFor(() => expect(screen.getByTestId('current-user')).toHaveTextContent('bob@example.com'))
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument()
  })
})
