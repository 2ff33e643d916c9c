/** Setup status, sign-in, sign-out and the current user. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { authApi, setupApi } from '@/api/endpoints'
import { useAuthStore } from '@/stores/auth'

export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
  setupStatus: () => [...authKeys.all, 'setup-status'] as const,
}

export const buildSetupStatusQuery = () =>
  queryOptions({ queryKey: authKeys.setupStatus(), queryFn: setupApi.status, staleTime: 0 })

export const buildMeQuery = () => queryOptions({ queryKey: authKeys.me(), queryFn: authApi.me, retry: false })

/** Sign in with email + password; stores the tokens. */
export function useLogin() {
  const qc = useQueryClient()
  const setTokens = useAuthStore((s) => s.setTokens)
  return useMutation({
    mutationFn: authApi.login,
    onSuccess: async (tokens) => {
      setTokens(tokens)
      await qc.invalidateQueries({ queryKey: authKeys.all })
    },
  })
}

/** First-run bootstrap: creates the first account + workspace, then signs in. */
export function useBootstrap() {
  const qc = useQueryClient()
  const setTokens = useAuthStore((s) => s.setTokens)
  return useMutation({
    mutationFn: setupApi.bootstrap,
    onSuccess: async (tokens) => {
      setTokens(tokens)
      await qc.invalidateQueries({ queryKey: authKeys.all })
    },
  })
}

/** Create an account (when the server allows registration) and sign in. */
export function useRegister() {
  const qc = useQueryClient()
  const setTokens = useAuthStore((s) => s.setTokens)
  return useMutation({
    mutationFn: authApi.register,
    onSuccess: async (tokens) => {
      setTokens(tokens)
      await qc.invalidateQueries({ queryKey: authKeys.all })
    },
  })
}

/**
 * Change the password (the current one is checked). The server ends every other session and
 * answers with this session's new token pair, which replaces the stored one.
 */
export function useChangePassword() {
  const setTokens = useAuthStore((s) => s.setTokens)
  return useMutation({ mutationFn: authApi.changePassword, onSuccess: (tokens) => setTokens(tokens) })
}

/** Revoke the refresh token (best effort), forget the tokens and every cached query. */
export function useLogout() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => {
      const { refreshToken } = useAuthStore.getState()
      if (refreshToken) await authApi.logout(refreshToken).catch(() => undefined)
    },
    onSettled: () => {
      useAuthStore.getState().clear()
      qc.clear()
    },
  })
}
