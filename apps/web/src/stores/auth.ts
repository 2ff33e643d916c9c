/**
 * Client-side auth state: the token pair, persisted in localStorage so a reload restores the
 * session. Server state (the user, workspaces, …) lives in TanStack Query, never here.
 */
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

export interface TokenPair {
  access_token: string
  refresh_token: string
}

interface AuthState {
  accessToken: string | null
  refreshToken: string | null
  setTokens: (tokens: TokenPair) => void
  clear: () => void
}

export const AUTH_STORAGE_KEY = 'podium.auth'

const initial = { accessToken: null, refreshToken: null }

export const useAuthStore = create<AuthState>()(
  persist(
    (set) => ({
      ...initial,
      setTokens: (t) => set({ accessToken: t.access_token, refreshToken: t.refresh_token }),
      clear: () => set(initial),
    }),
    {
      name: AUTH_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ accessToken: s.accessToken, refreshToken: s.refreshToken }),
    },
  ),
)

/** Back to signed-out; tests call this after each case. */
export function resetAuthStore(): void {
  useAuthStore.setState(initial)
}
