/** Webhooks of a workspace (owners) and their delivery logs. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { webhooksApi } from '@/api/endpoints'
import type { DriftLevel, WebhookCreateBody } from '@/api/types'

export const webhooksKeys = {
  all: ['webhooks'] as const,
  list: (ws: string) => [...webhooksKeys.all, 'list', ws] as const,
  deliveries: (id: string) => [...webhooksKeys.all, 'deliveries', id] as const,
}

export const buildWebhooksQuery = (ws: string) =>
  queryOptions({ queryKey: webhooksKeys.list(ws), queryFn: () => webhooksApi.list(ws) })

export const buildDeliveriesQuery = (id: string) =>
  queryOptions({ queryKey: webhooksKeys.deliveries(id), queryFn: () => webhooksApi.deliveries(id), refetchInterval: 5_000 })

export function useCreateWebhook(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: WebhookCreateBody) => webhooksApi.create(ws, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: webhooksKeys.list(ws) }),
  })
}

export function useWebhookActions(ws: string) {
  const qc = useQueryClient()
  const refresh = () => qc.invalidateQueries({ queryKey: webhooksKeys.all })
  return {
    setActive: useMutation({
      mutationFn: ({ id, active }: { id: string; active: boolean }) => webhooksApi.update(id, { active }),
      onSuccess: refresh,
    }),
    setDriftLevel: useMutation({
      mutationFn: ({ id, level }: { id: string; level: DriftLevel }) => webhooksApi.update(id, { drift_min_severity: level }),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: webhooksApi.remove, onSuccess: () => qc.invalidateQueries({ queryKey: webhooksKeys.list(ws) }) }),
    ping: useMutation({ mutationFn: webhooksApi.ping, onSuccess: refresh }),
  }
}
