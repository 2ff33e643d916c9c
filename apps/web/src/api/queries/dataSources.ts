/** Data sources: list, detail, preview, upload with progress, delete. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { dataSourcesApi } from '@/api/endpoints'
import type { UploadProgress } from '@/api/upload'

export const dataSourcesKeys = {
  all: ['data-sources'] as const,
  list: (ws: string) => [...dataSourcesKeys.all, 'list', ws] as const,
  detail: (id: string) => [...dataSourcesKeys.all, 'detail', id] as const,
  preview: (id: string) => [...dataSourcesKeys.all, 'preview', id] as const,
}

export const buildListDataSourcesQuery = (ws: string) =>
  queryOptions({ queryKey: dataSourcesKeys.list(ws), queryFn: () => dataSourcesApi.list(ws) })

export const buildDataSourceQuery = (id: string) =>
  queryOptions({ queryKey: dataSourcesKeys.detail(id), queryFn: () => dataSourcesApi.get(id) })

export const buildDataSourcePreviewQuery = (id: string) =>
  queryOptions({ queryKey: dataSourcesKeys.preview(id), queryFn: () => dataSourcesApi.preview(id) })

export interface UploadInput {
  file: File
  name: string
  description?: string
  onProgress?: (p: UploadProgress) => void
}

export function useUploadDataSource(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ file, name, description, onProgress }: UploadInput) =>
      dataSourcesApi.uploadCsv(ws, file, name, description, onProgress),
    onSuccess: () => qc.invalidateQueries({ queryKey: dataSourcesKeys.list(ws) }),
  })
}

export function useDeleteDataSource(ws: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: dataSourcesApi.remove,
    onSuccess: () => qc.invalidateQueries({ queryKey: dataSourcesKeys.list(ws) }),
  })
}
