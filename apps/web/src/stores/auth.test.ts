import { describe, expect, it } from 'vitest'

import { AUTH_STORAGE_KEY, resetAuthStore, useAuthStore } from '@/stores/auth'

describe('auth store', () => {
  it('persists the token pair in localStorage and clears it', () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    expect(JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY) ?? '{}').state).toEqual({ accessToken: 'a', refreshToken: 'r' })
    useAuthStore.getState().clear()
    expect(useAuthStore.getState().accessToken).toBeNull()
    expect(JSON.parse(localStorage.getItem(AUTH_STORAGE_KEY) ?? '{}').state.accessToken).toBeNull()
  })

  it('starts signed out after a reset (tests share no session)', () => {
    useAuthStore.getState().setTokens({ access_token: 'a', refresh_token: 'r' })
    resetAuthStore()
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, refreshToken: null })
  })
})
