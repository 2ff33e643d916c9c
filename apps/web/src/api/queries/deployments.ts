/** Deployments: list, detail with stats, request log, pause/resume, delete, predictions. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { deploymentsApi } from '@/api/endpoints'
import type { DeploymentStatus } from '@/api/types'

export const deploymentsKeys = {
  all: ['deployments'] as const,
  list: (ws: string) => [...deploymentsKeys.all, 'list', ws] as const,
  detail: (id: string) => [...deploymentsKeys.all, 'detail', id] as const,
  predictions: (id: string) => [...deploymentsKeys.all, 'predictions', id] as const,
}

export const buildListDeploymentsQuery = (ws: string) =>
  queryOptions({ queryKey: deploymentsKeys.list(ws), queryFn: () => deploymentsApi.list(ws) })

export const buildDeploymentQuery = (id: string) =>
  queryOptions({ queryKey: deploymentsKeys.detail(id), queryFn: () => deploymentsApi.get(id) })

export const buildPredictionLogQuery = (id: string) =>
  queryOptions({ queryKey: deploymentsKeys.predictions(id), queryFn: () => deploymentsApi.predictions(id) })

export function useSetDeploymentStatus(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (status: DeploymentStatus) => deploymentsApi.update(id, { status }),
    onSuccess: (d) => {
      qc.setQueryData(deploymentsKeys.detail(id), d)
      return qc.invalidateQueries({ queryKey: deploymentsKeys.all })
    },
  })
}

/** Delete a deployment; its slug answers 404 from then on. */
export function useDeleteDeployment() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: deploymentsApi.remove,
    // Only the lists: refetching the open detail page would answer 404 before it navigates away.
    onSuccess: () => qc.invalidateQueries({ queryKey: [...deploymentsKeys.all, 'list'] }),
  })
}

/** Predict against a deployment, then refresh its stats and request log. */
export function usePredict(deploymentId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ slug, rows }: { slug: string; rows: Array<Record<string, unknown>> }) =>
      deploymentsApi.predict(slug, rows),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: deploymentsKeys.detail(deploymentId) }),
        qc.invalidateQueries({ queryKey: deploymentsKeys.predictions(deploymentId) }),
      ]),
  })
}
