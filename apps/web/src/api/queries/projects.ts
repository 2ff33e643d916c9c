/** Projects and their experiments. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { experimentsApi, projectsApi } from '@/api/endpoints'
import type { ExperimentCreate } from '@/api/types'

export const projectsKeys = {
  all: ['projects'] as const,
  list: (ws: string) => [...projectsKeys.all, 'list', ws] as const,
  detail: (id: string) => [...projectsKeys.all, 'detail', id] as const,
}

export const experimentsKeys = {
  all: ['experiments'] as const,
  list: (projectId: string) => [...experimentsKeys.all, 'list', projectId] as const,
  detail: (id: string) => [...experimentsKeys.all, 'detail', id] as const,
}

export const buildListProjectsQuery = (ws: string) =>
  queryOptions({ queryKey: projectsKeys.list(ws), queryFn: () => projectsApi.list(ws) })

export const buildProjectQuery = (id: string) =>
  queryOptions({ queryKey: projectsKeys.detail(id), queryFn: () => projectsApi.get(id) })

export const buildListExperimentsQuery = (projectId: string) =>
  queryOptions({ queryKey: experimentsKeys.list(projectId), queryFn: () => experimentsApi.list(projectId) })

export const buildExperimentQuery = (id: string) =>
  queryOptions({ queryKey: experimentsKeys.detail(id), queryFn: () => experimentsApi.get(id) })

export function useCreateProject(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name: string; description?: string }) => projectsApi.create(ws, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectsKeys.list(ws) }),
  })
}

export function useCreateExperiment(projectId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ExperimentCreate) => experimentsApi.create(projectId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: experimentsKeys.list(projectId) }),
  })
}
