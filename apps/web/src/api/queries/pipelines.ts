/** Pipelines: list, detail (polled while building), deploy, delete. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { pipelinesApi } from '@/api/endpoints'
import { deploymentsKeys } from '@/api/queries/deployments'
import type { AuthMode } from '@/api/types'

const POLL_MS = 2000

export const pipelinesKeys = {
  all: ['pipelines'] as const,
  list: (ws: string) => [...pipelinesKeys.all, 'list', ws] as const,
  detail: (id: string) => [...pipelinesKeys.all, 'detail', id] as const,
}

export const buildListPipelinesQuery = (ws: string) =>
  queryOptions({
    queryKey: pipelinesKeys.list(ws),
    queryFn: () => pipelinesApi.list(ws),
    refetchInterval: (q) => (q.state.data?.data.some((p) => p.status === 'building') ? POLL_MS : false),
  })

export const buildPipelineQuery = (id: string) =>
  queryOptions({
    queryKey: pipelinesKeys.detail(id),
    queryFn: () => pipelinesApi.get(id),
    refetchInterval: (q) => (q.state.data?.status === 'building' ? POLL_MS : false),
  })

export function useDeployPipeline(pipelineId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { slug: string; auth_mode: AuthMode }) => pipelinesApi.deploy(pipelineId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: deploymentsKeys.all }),
  })
}

/** Delete a pipeline; the server refuses (409) while it is deployed or still building. */
export function useDeletePipeline() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: pipelinesApi.remove,
    // Only the lists: refetching the open detail page would answer 404 before it navigates away.
    onSuccess: () => qc.invalidateQueries({ queryKey: [...pipelinesKeys.all, 'list'] }),
  })
}
