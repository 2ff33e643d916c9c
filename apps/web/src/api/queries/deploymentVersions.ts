/** Deployment versions: what a deployment serves, its history, switch and roll back. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { deploymentVersionsApi } from '@/api/endpoints'
import { deploymentsKeys } from '@/api/queries/deployments'

export const deploymentVersionsKeys = {
  all: ['deployment-versions'] as const,
  detail: (id: string) => [...deploymentVersionsKeys.all, id] as const,
}

export const buildDeploymentVersionsQuery = (id: string) =>
  queryOptions({ queryKey: deploymentVersionsKeys.detail(id), queryFn: () => deploymentVersionsApi.list(id) })

function useRefresh(id: string) {
  const qc = useQueryClient()
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: deploymentVersionsKeys.detail(id) }),
      qc.invalidateQueries({ queryKey: deploymentsKeys.all }),
    ])
}

/** Serve another version of the deployed pipeline name. */
export function useSwitchVersion(id: string) {
  const onSuccess = useRefresh(id)
  return useMutation({ mutationFn: (version: number) => deploymentVersionsApi.switchTo(id, { version }), onSuccess })
}

/** Serve the version served before the last change. */
export function useRollback(id: string) {
  const onSuccess = useRefresh(id)
  return useMutation({ mutationFn: () => deploymentVersionsApi.rollback(id), onSuccess })
}
