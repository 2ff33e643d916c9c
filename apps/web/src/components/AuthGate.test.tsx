import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { AuthGate } from '@/components/AuthGate'
import { useAuthStore } from '@/stores/auth'
import { renderRoute } from '@/test/render'
import { mockApi, reply } from '@/test/server'

const me = { id: 'u1', email: 'ada@example.com', display_name: 'Ada', is_admin: true, created_at: '' }
const gated = <AuthGate><p>secret page</p></AuthGate>
const status = (needs: boolean) => ({ needs_bootstrap: needs, registration_enabled: false, version: '0' })

describe('AuthGate', () => {
  it('sends a visitor to /setup while no account exists', async () => {
    mockApi({ 'GET /api/v1/setup/status': status(true) })
    renderRoute(gated, { path: '/runs/:id', url: '/runs/1' })
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /setup')
  })

  it('sends a signed-out visitor to /login', async () => {
    mockApi({ 'GET /api/v1/setup/status': status(false) })
    renderRoute(gated, { path: '/runs/:id', url: '/runs/1' })
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /login')
  })

  it('restores a persisted session on reload', async () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    mockApi({ 'GET /api/v1/auth/me': me })
    renderRoute(gated)
    expect(screen.getByText(/restoring your session/i)).toBeInTheDocument()
    expect(await screen.findByText('secret page')).toBeInTheDocument()
  })

  it('refreshes an expired access token during restore', async () => {
    useAuthStore.getState().setTokens({ access_token: 'stale', refresh_token: 'r' })
    mockApi({
      'GET /api/v1/auth/me': (req) => (req.headers.get('Authorization') === 'Bearer fresh' ? me : reply(401, { detail: 'expired' })),
      'POST /api/v1/auth/refresh': { access_token: 'fresh', refresh_token: 'r2', token_type: 'bearer', expires_in: 900 },
    })
    renderRoute(gated)
    expect(await screen.findByText('secret page')).toBeInTheDocument()
  })

  it('forgets tokens that cannot be refreshed and goes to /login', async () => {
    useAuthStore.getState().setTokens({ access_token: 'stale', refresh_token: 'r' })
    mockApi({
      'GET /api/v1/auth/me': reply(401, { detail: 'expired' }),
      'POST /api/v1/auth/refresh': reply(401, { detail: 'revoked' }),
      'GET /api/v1/setup/status': status(false),
    })
    renderRoute(gated)
    expect(await screen.findByTestId('nav-marker')).toHaveTextContent('Went to /login')
    expect(useAuthStore.getState().accessToken).toBeNull()
  })
})
