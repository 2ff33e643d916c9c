/** Runs: list (live while any is pending), detail (polled while pending), submit, cancel, promote. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { runsApi } from '@/api/endpoints'
import type { Run, RunCreate, RunStatus } from '@/api/types'
import { pipelinesKeys } from '@/api/queries/pipelines'

export const POLL_MS = 2000
const PENDING: ReadonlySet<RunStatus> = new Set(['queued', 'running'])

/** True while a run may still change (queued or running). */
export function isPending(status: RunStatus | undefined): boolean {
  return status !== undefined && PENDING.has(status)
}

export const runsKeys = {
  all: ['runs'] as const,
  list: (experimentId: string) => [...runsKeys.all, 'list', experimentId] as const,
  detail: (id: string) => [...runsKeys.all, 'detail', id] as const,
}

export const buildListRunsQuery = (experimentId: string) =>
  queryOptions({
    queryKey: runsKeys.list(experimentId),
    queryFn: () => runsApi.listForExperiment(experimentId),
    refetchInterval: (q) => (q.state.data?.data.some((r) => isPending(r.status)) ? POLL_MS : false),
  })

export const buildRunQuery = (id: string) =>
  queryOptions({
    queryKey: runsKeys.detail(id),
    queryFn: () => runsApi.get(id),
    refetchInterval: (q) => (isPending(q.state.data?.status) ? POLL_MS : false),
  })

export function useSubmitRun(experimentId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: RunCreate) => runsApi.submit(experimentId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: runsKeys.list(experimentId) }),
  })
}

function useRunUpdate() {
  const qc = useQueryClient()
  return (run: Run) => {
    qc.setQueryData(runsKeys.detail(run.id), run)
    return qc.invalidateQueries({ queryKey: runsKeys.list(run.experiment_id) })
  }
}

export function useCancelRun() {
  const update = useRunUpdate()
  return useMutation({ mutationFn: runsApi.cancel, onSuccess: update })
}

export function usePromoteRun(runId: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name: string; model_id?: string }) => runsApi.promote(runId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: pipelinesKeys.all }),
  })
}
