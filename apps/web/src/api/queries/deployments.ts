/** Deployments: list, detail with stats, request log, pause/resume, delete, predictions. */
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { deploymentsApi } from '@/api/endpoints'
import type { CallerAuth, DeploymentStatus, PredictionLogFilter } from '@/api/types'
import type { ReceivedFile, UploadProgress } from '@/api/upload'
import { summarizeCsv, type CsvSummary } from '@/lib/csv'

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

/** The page size of the prediction log view. */
export const PREDICTION_LOG_PAGE = 20

/** A page of the prediction log; the filter is part of the key, so each page and filter is cached apart. */
export const buildPredictionLogQuery = (id: string, filter: PredictionLogFilter = {}) =>
  queryOptions({
    queryKey: [...deploymentsKeys.predictions(id), filter] as const,
    queryFn: () => deploymentsApi.predictions(id, filter, PREDICTION_LOG_PAGE),
    placeholderData: keepPreviousData,
  })

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

/** After a call to a deployment: its stats and request log have changed. */
function useRefreshStats(deploymentId: string) {
  const qc = useQueryClient()
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: deploymentsKeys.detail(deploymentId) }),
      qc.invalidateQueries({ queryKey: deploymentsKeys.predictions(deploymentId) }),
    ])
}

/** Predict against a deployment as the given caller, then refresh its stats and request log. */
export function usePredict(deploymentId: string) {
  const onSettled = useRefreshStats(deploymentId)
  return useMutation({
    mutationFn: ({ slug, rows, auth, explain = false }: { slug: string; rows: Array<Record<string, unknown>>; auth: CallerAuth; explain?: boolean }) =>
      deploymentsApi.predict(slug, rows, auth, explain),
    onSettled,
  })
}

/** Forecast with a forecasting deployment as the given caller, then refresh its stats and log. */
export function useForecast(deploymentId: string) {
  const onSettled = useRefreshStats(deploymentId)
  return useMutation({
    mutationFn: ({ slug, h, auth, exogenous }: { slug: string; h: number; auth: CallerAuth; exogenous?: Array<Record<string, unknown>> }) =>
      deploymentsApi.forecast(slug, h, auth, exogenous),
    onSettled,
  })
}

export interface ScoreCsvInput {
  slug: string
  file: File
  auth: CallerAuth
  onProgress?: (p: UploadProgress) => void
}

/** A scored CSV: the file to save, and what it holds. */
export interface ScoredCsv extends ReceivedFile {
  summary: CsvSummary
}

/** Score a CSV file against a deployment as the given caller, then refresh its stats and log. */
export function useScoreCsv(deploymentId: string) {
  const onSettled = useRefreshStats(deploymentId)
  return useMutation({
    mutationFn: async ({ slug, file, auth, onProgress }: ScoreCsvInput): Promise<ScoredCsv> => {
      const received = await deploymentsApi.predictCsv(slug, file, auth, onProgress)
      return { ...received, summary: summarizeCsv(await received.blob.text()) }
    },
    onSettled,
  })
}
