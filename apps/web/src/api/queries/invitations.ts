/** Invitations: owners invite, list and revoke; the invitee previews and accepts. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { invitationsApi } from '@/api/endpoints'
import type { Role } from '@/api/types'
import { workspacesKeys } from '@/api/queries/workspaces'

export const invitationsKeys = {
  all: ['invitations'] as const,
  list: (ws: string) => [...invitationsKeys.all, 'list', ws] as const,
  preview: (token: string) => [...invitationsKeys.all, 'preview', token] as const,
}

export const buildInvitationsQuery = (ws: string) =>
  queryOptions({ queryKey: invitationsKeys.list(ws), queryFn: () => invitationsApi.list(ws) })

export const buildInvitationPreviewQuery = (token: string) =>
  queryOptions({ queryKey: invitationsKeys.preview(token), queryFn: () => invitationsApi.preview(token) })

export function useInvite(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { email: string; role: Role; valid_hours?: number }) => invitationsApi.create(ws, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: invitationsKeys.list(ws) }),
  })
}

export function useRevokeInvitation(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => invitationsApi.revoke(ws, id),
    onSuccess: () => qc.invalidateQueries({ queryKey: invitationsKeys.list(ws) }),
  })
}

export function useAcceptInvitation(token: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { password?: string; display_name?: string }) => invitationsApi.accept(token, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: workspacesKeys.all }),
  })
}
