/** Projects and their experiments; editors rename and delete both. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { experimentsApi, projectsApi } from '@/api/endpoints'
import type { ExperimentCreate, ExperimentUpdate, ProjectUpdate } from '@/api/types'

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

export function useUpdateProject(id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: ProjectUpdate) => projectsApi.update(id, body),
    onSuccess: (updated) => {
      qc.setQueryData(projectsKeys.detail(id), updated)
      return qc.invalidateQueries({ queryKey: [...projectsKeys.all, 'list'] })
    },
  })
}

/** Delete a project with its experiments and runs; the server refuses (409) while runs are active. */
export function useDeleteProject() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: projectsApi.remove,
    // Only the lists: refetching the open detail page would answer 404 before it navigates away.
    onSuccess: () => qc.invalidateQueries({ queryKey: [...projectsKeys.all, 'list'] }),
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
