/** UI-only state: the workspace the user last opened (drives the top navigation). */
import { useEffect } from 'react'
import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'

interface UiState {
  workspaceId: string | null
  setWorkspaceId: (id: string | null) => void
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      workspaceId: null,
      setWorkspaceId: (workspaceId) => set({ workspaceId }),
    }),
    { name: 'podium.ui', storage: createJSONStorage(() => localStorage) },
  ),
)

/** Back to defaults; tests call this after each case. */
export function resetUiStore(): void {
  useUiStore.setState({ workspaceId: null })
}

/** Remember the workspace a page belongs to, so the top navigation can link into it. */
export function useRememberWorkspace(id: string | null | undefined): void {
  const set = useUiStore((s) => s.setWorkspaceId)
  useEffect(() => {
    if (id) set(id)
  }, [id, set])
}
