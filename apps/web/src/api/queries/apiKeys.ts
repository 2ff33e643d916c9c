/** API keys of a workspace (for deployments in api-key mode): list, create (secret shown once), revoke. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { apiKeysApi } from '@/api/endpoints'

export const apiKeysKeys = {
  all: ['api-keys'] as const,
  list: (ws: string) => [...apiKeysKeys.all, 'list', ws] as const,
}

export const buildApiKeysQuery = (ws: string) =>
  queryOptions({ queryKey: apiKeysKeys.list(ws), queryFn: () => apiKeysApi.list(ws) })

export function useCreateApiKey(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => apiKeysApi.create(ws, { name }),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeysKeys.list(ws) }),
  })
}

export function useRevokeApiKey(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: apiKeysApi.remove,
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeysKeys.list(ws) }),
  })
}
