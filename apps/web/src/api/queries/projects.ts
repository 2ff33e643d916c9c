/** Projects of a workspace: list, detail, create; editors rename and delete them. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { projectsApi } from '@/api/endpoints'
import type { ProjectUpdate } from '@/api/types'

export const projectsKeys = {
  all: ['projects'] as const,
  list: (ws: string) => [...projectsKeys.all, 'list', ws] as const,
  detail: (id: string) => [...projectsKeys.all, 'detail', id] as const,
}

export const buildListProjectsQuery = (ws: string) =>
  queryOptions({ queryKey: projectsKeys.list(ws), queryFn: () => projectsApi.list(ws) })

export const buildProjectQuery = (id: string) =>
  queryOptions({ queryKey: projectsKeys.detail(id), queryFn: () => projectsApi.get(id) })

export function useCreateProject(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name: string; description?: string }) => projectsApi.create(ws, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectsKeys.list(ws) }),
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
