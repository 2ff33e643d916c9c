/** Workspaces (rename/delete: owners) and their members. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { membersApi, workspacesApi } from '@/api/endpoints'
import type { Role, Workspace } from '@/api/types'

export const workspacesKeys = {
  all: ['workspaces'] as const,
  list: () => [...workspacesKeys.all, 'list'] as const,
  detail: (id: string) => [...workspacesKeys.all, 'detail', id] as const,
  members: (id: string) => [...workspacesKeys.all, 'members', id] as const,
}

export const buildListWorkspacesQuery = () =>
  queryOptions({ queryKey: workspacesKeys.list(), queryFn: workspacesApi.list })

export const buildWorkspaceQuery = (id: string) =>
  queryOptions({ queryKey: workspacesKeys.detail(id), queryFn: () => workspacesApi.get(id) })

export const buildMembersQuery = (id: string) =>
  queryOptions({ queryKey: workspacesKeys.members(id), queryFn: () => membersApi.list(id) })

export function useCreateWorkspace() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: workspacesApi.create,
    onSuccess: () => qc.invalidateQueries({ queryKey: workspacesKeys.list() }),
  })
}

/**
 * What the signed-in member may do in a workspace, as the server decides it from their role
 * (undefined while unknown), for hiding controls. The server still has the last word.
 */
export function useWorkspaceAbilities(ws: string | undefined): Workspace['can'] | undefined {
  const q = useQuery({ ...buildWorkspaceQuery(ws ?? ''), enabled: !!ws, select: (w) => w.can })
  return q.data
}

export function useRenameWorkspace(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => workspacesApi.update(ws, { name }),
    onSuccess: (updated) => {
      qc.setQueryData(workspacesKeys.detail(ws), updated)
      return qc.invalidateQueries({ queryKey: workspacesKeys.list() })
    },
  })
}

/** Delete a workspace with everything in it (owners). */
export function useDeleteWorkspace() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: workspacesApi.remove,
    // Only the list: refetching the open page would answer 404 before it navigates away.
    onSuccess: () => qc.invalidateQueries({ queryKey: workspacesKeys.list() }),
  })
}

export function useAddMember(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => membersApi.add(ws, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: workspacesKeys.members(ws) }),
  })
}

export function useUpdateMember(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => membersApi.update(ws, userId, { role }),
    onSuccess: () => qc.invalidateQueries({ queryKey: workspacesKeys.members(ws) }),
  })
}

export function useRemoveMember(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) => membersApi.remove(ws, userId),
    onSuccess: () => qc.invalidateQueries({ queryKey: workspacesKeys.members(ws) }),
  })
}
