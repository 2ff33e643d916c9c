import { describe, expect, it } from 'vitest'

import { workspacesApi } from '@/api/endpoints'
import { AUTH_STORAGE_KEY, useAuthStore } from '@/stores/auth'
import { mockApi, reply, requestsTo } from '@/test/server'
import { ApiError } from '@/lib/errors'

const signIn = (access = 'old', refresh = 'r1') => useAuthStore.getState().setTokens({ access_token: access, refresh_token: refresh })

describe('authFetch', () => {
  it('sends the bearer token', async () => {
    signIn('tok')
    mockApi({ 'GET /api/v1/workspaces': (req) => (req.headers.get('Authorization') === 'Bearer tok' ? { data: [], count: 0 } : reply(401, { detail: 'no' })) })
    await expect(workspacesApi.list()).resolves.toEqual({ data: [], count: 0 })
  })

  it('refreshes once for concurrent 401s and retries each request with the new token', async () => {
    signIn('old', 'r1')
    mockApi({
      'GET /api/v1/workspaces': (req) =>
        req.headers.get('Authorization') === 'Bearer new' ? { data: [], count: 0 } : reply(401, { detail: 'expired' }),
      'GET /api/v1/workspaces/:ws': (req) =>
        req.headers.get('Authorization') === 'Bearer new' ? { id: req.params.ws, name: 'W', role: 'owner', created_at: '' } : reply(401, { detail: 'expired' }),
      'POST /api/v1/auth/refresh': async (req) => {
        await new Promise((r) => setTimeout(r, 10))
        return (req.body as { refresh_token: string }).refresh_token === 'r1'
          ? { access_token: 'new', refresh_token: 'r2', token_type: 'bearer', expires_in: 900 }
          : reply(401, { detail: 'bad refresh' })
      },
    })
    const [a, b, c] = await Promise.all([workspacesApi.list(), workspacesApi.get('w1'), workspacesApi.get('w2')])
    expect(a.count).toBe(0)
    expect(b.id).toBe('w1')
    expect(c.id).toBe('w2')
    expect(requestsTo('/api/v1/auth/refresh')).toHaveLength(1)
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'new', refreshToken: 'r2' })
    expect(JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY) ?? '{}').state.refreshToken).toBe('r2')
  })

  it('signs out when the refresh is refused, and surfaces the 401 detail', async () => {
    signIn('old', 'r1')
    mockApi({
      'GET /api/v1/workspaces': reply(401, { detail: 'Token expired' }),
      'POST /api/v1/auth/refresh': reply(401, { detail: 'Refresh token revoked' }),
    })
    const err = await workspacesApi.list().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(401)
    expect((err as ApiError).message).toBe('Token expired')
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('never refreshes for a failed login', async () => {
    signIn('old', 'r1')
    mockApi({ 'POST /api/v1/auth/login': reply(401, { detail: 'Wrong email or password.' }) })
    const { authApi } = await import('@/api/endpoints')
    await expect(authApi.login({ email: 'a@b.c', password: 'x' })).rejects.toThrow('Wrong email or password.')
    expect(requestsTo('/api/v1/auth/refresh')).toHaveLength(0)
  })

  it('shows the validation message the server sends', async () => {
    mockApi({ 'POST /api/v1/workspaces': reply(422, { detail: 'name: String should have at least 1 character' }) })
    await expect(workspacesApi.create({ name: '' })).rejects.toThrow('name: String should have at least 1 character')
  })

  it('falls back to the status when the body is not the error shape', async () => {
    mockApi({ 'POST /api/v1/workspaces': reply(502, { message: ['not', 'the', 'error', 'shape'] }) })
    await expect(workspacesApi.create({ name: 'W' })).rejects.toThrow('(HTTP 502)')
  })
})
