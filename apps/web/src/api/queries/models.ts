/** A run's models: the model view, one plot, and the analysis job (polled while it works). */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { modelsApi } from '@/api/endpoints'
import type { AnalysisRead, AnalysisStatus } from '@/api/types'

export const POLL_MS = 2000
const WORKING: ReadonlySet<AnalysisStatus> = new Set(['queued', 'running'])

export const modelsKeys = {
  all: ['models'] as const,
  detail: (runId: string, modelId: string) => [...modelsKeys.all, runId, modelId] as const,
  plot: (runId: string, modelId: string, plotId: string) => [...modelsKeys.detail(runId, modelId), 'plot', plotId] as const,
  analysis: (runId: string, modelId: string) => [...modelsKeys.detail(runId, modelId), 'analysis'] as const,
}

export const buildModelQuery = (runId: string, modelId: string) =>
  queryOptions({
    queryKey: modelsKeys.detail(runId, modelId),
    queryFn: () => modelsApi.get(runId, modelId),
  })

/** A plot never changes once drawn from stored predictions (or written by the analysis job). */
export const buildModelPlotQuery = (runId: string, modelId: string, plotId: string) =>
  queryOptions({
    queryKey: modelsKeys.plot(runId, modelId, plotId),
    queryFn: () => modelsApi.plot(runId, modelId, plotId),
    staleTime: Infinity,
  })

/** True while the analysis job may still change (queued or running). */
export function isWorking(a: AnalysisRead | null | undefined): boolean {
  return !!a && WORKING.has(a.status)
}

/**
 * The analysis job's state. Ask only for a job that exists — the model says so (`ModelRead.analysis`
 * is null until someone requests one), as it says which plots are available: the server answers
 * 404 for a job nobody requested, an error the browser logs.
 */
export const buildAnalysisQuery = (runId: string, modelId: string) =>
  queryOptions({
    queryKey: modelsKeys.analysis(runId, modelId),
    queryFn: () => modelsApi.analysis(runId, modelId),
    staleTime: POLL_MS, // the state a POST just answered is not asked again at once
    refetchInterval: (q) => (isWorking(q.state.data) ? POLL_MS : false),
  })

/** Queue the analysis job; its state replaces the cached one, so polling starts at once, and the
 * model (which now names a job) is read again. */
export function useComputeAnalysis(runId: string, modelId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => modelsApi.analyse(runId, modelId),
    onSuccess: (a) => {
      qc.setQueryData(modelsKeys.analysis(runId, modelId), a)
      void qc.invalidateQueries({ queryKey: modelsKeys.detail(runId, modelId), exact: true })
    },
  })
}
