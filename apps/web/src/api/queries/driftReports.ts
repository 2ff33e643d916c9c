/** Drift reports of a deployment: list (with PSI over time), one report, compute one now. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { driftReportsApi } from '@/api/endpoints'

export const driftReportsKeys = {
  all: ['drift-reports'] as const,
  list: (slug: string) => [...driftReportsKeys.all, 'list', slug] as const,
  detail: (id: string) => [...driftReportsKeys.all, 'detail', id] as const,
}

export const buildDriftReportsQuery = (slug: string) =>
  queryOptions({ queryKey: driftReportsKeys.list(slug), queryFn: () => driftReportsApi.list(slug) })

export const buildDriftReportQuery = (id: string) =>
  queryOptions({ queryKey: driftReportsKeys.detail(id), queryFn: () => driftReportsApi.get(id) })

/** Compare the last window of logged calls with the training baseline now. */
export function useCreateDriftReport(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => driftReportsApi.create(slug),
    onSuccess: (report) => {
      qc.setQueryData(driftReportsKeys.detail(report.id), report)
      return qc.invalidateQueries({ queryKey: driftReportsKeys.list(slug) })
    },
  })
}
