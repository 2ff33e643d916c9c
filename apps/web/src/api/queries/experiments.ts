/** Experiments of a project: list, detail, create; editors rename and delete them. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { experimentsApi } from '@/api/endpoints'
import type { ExperimentCreate, ExperimentUpdate } from '@/api/types'

export const experimentsKeys = {
  all: ['experiments'] as const,
  list: (projectId: string) => [...experimentsKeys.all, 'list', projectId] as const,
  detail: (id: string) => [...experimentsKeys.all, 'detail', id] as const,
}

export const buildListExperimentsQuery = (projectId: string) =>
  queryOptions({ queryKey: experimentsKeys.list(projectId), queryFn: () => experimentsApi.list(projectId) })

export const buildExperimentQuery = (id: string) =>
  queryOptions({ queryKey: experimentsKeys.detail(id), queryFn: () => experimentsApi.get(id) })

export function useCreateExperiment(projectId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ExperimentCreate) => experimentsApi.create(projectId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: experimentsKeys.list(projectId) }),
  })
}

export function useUpdateExperiment(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ExperimentUpdate) => experimentsApi.update(id, body),
    onSuccess: (updated) => {
      qc.setQueryData(experimentsKeys.detail(id), updated)
      return qc.invalidateQueries({ queryKey: [...experimentsKeys.all, 'list'] })
    },
  })
}

/** Delete an experiment and its runs; the server refuses (409) while runs are active. */
export function useDeleteExperiment() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: experimentsApi.remove,
    onSuccess: () => qc.invalidateQueries({ queryKey: [...experimentsKeys.all, 'list'] }),
  })
}
