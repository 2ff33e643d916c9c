/** Pipelines and deployments, and predictions against a deployment. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { deploymentsApi, pipelinesApi } from '@/api/endpoints'
import type { AuthMode } from '@/api/types'

export const pipelinesKeys = {
  all: ['pipelines'] as const,
  list: (ws: string) => [...pipelinesKeys.all, 'list', ws] as const,
  detail: (id: string) => [...pipelinesKeys.all, 'detail', id] as const,
}

export const deploymentsKeys = {
  all: ['deployments'] as const,
  list: (ws: string) => [...deploymentsKeys.all, 'list', ws] as const,
  detail: (id: string) => [...deploymentsKeys.all, 'detail', id] as const,
}

export const buildListPipelinesQuery = (ws: string) =>
  queryOptions({ queryKey: pipelinesKeys.list(ws), queryFn: () => pipelinesApi.list(ws) })

export const buildPipelineQuery = (id: string) =>
  queryOptions({
    queryKey: pipelinesKeys.detail(id),
    queryFn: () => pipelinesApi.get(id),
    refetchInterval: (q) => (q.state.data?.status === 'building' ? 2000 : false),
  })

export const buildListDeploymentsQuery = (ws: string) =>
  queryOptions({ queryKey: deploymentsKeys.list(ws), queryFn: () => deploymentsApi.list(ws) })

export const buildDeploymentQuery = (id: string) =>
  queryOptions({ queryKey: deploymentsKeys.detail(id), queryFn: () => deploymentsApi.get(id) })

export function useDeployPipeline(pipelineId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { slug: string; auth_mode: AuthMode }) => pipelinesApi.deploy(pipelineId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: deploymentsKeys.all }),
  })
}

export function usePredict(deploymentId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ slug, rows }: { slug: string; rows: Array<Record<string, unknown>> }) =>
      deploymentsApi.predict(slug, rows),
    onSettled: () => qc.invalidateQueries({ queryKey: deploymentsKeys.detail(deploymentId) }),
  })
}
