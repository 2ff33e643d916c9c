/**
 * /runs/:runId — status header, live events, the leaderboard as `leaderboard.updated` events
 * arrive, cancel while pending, promote on success, improve its models (tick rows → Blend /
 * Stack, a row's menu → Tune / Ensemble), a tune or auto run's trials, and the request snapshot.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useParams } from 'react-router-dom'

import { buildRunQuery, isPending, runsKeys } from '@/api/queries/runs'
import { EventStream } from '@/components/EventStream'
import { ImproveLeaderboard } from '@/components/run/ImproveLeaderboard'
import { RunAgain } from '@/components/run/RunAgain'
import { RunHeader } from '@/components/run/RunHeader'
import { RunProgress, RunWarnings } from '@/components/run/RunProgress'
import { RunResult } from '@/components/run/RunResult'
import { trialsOfResult } from '@/components/run/trials'
import { TrialsPanel } from '@/components/run/TrialsPanel'
import { useRunStream } from '@/components/run/useRunStream'
import { Card } from '@/components/ui/Card'
import { Spinner } from '@/components/ui/feedback'
import { KeyValues } from '@/components/ui/KeyValues'
import { LoadError } from '@/components/ui/LoadError'
import { useRememberWorkspace } from '@/stores/ui'

/** A finished run's rows open their model's page (failed fits have none). */
function modelLink(runId: string) {
  return (row: Record<string, unknown>) => {
    const id = row.model_id
    const failed = row.Error !== undefined && row.Error !== null && row.Error !== ''
    return typeof id === 'string' && id && !failed ? `/runs/${runId}/models/${encodeURIComponent(id)}` : undefined
  }
}

export default function RunDetail() {
  const { runId = '' } = useParams()
  const qc = useQueryClient()
  const run = useQuery(buildRunQuery(runId))
  const [, tick] = useState(0)
  const modelHref = useMemo(() => modelLink(runId), [runId])

  const pending = isPending(run.data?.status)
  useEffect(() => {
    if (!pending) return
    const t = setInterval(() => tick((n) => n + 1), 1000) // keep the elapsed time moving
    return () => clearInterval(t)
  }, [pending])

  // A terminal event means the stored run changed: refetch it (status, leaderboard, result).
  const refetch = useCallback(() => void qc.invalidateQueries({ queryKey: runsKeys.detail(runId) }), [qc, runId])
  // The page's one stream: events, status, the leaderboard (live, then the stored final one),
  // progress and warnings all come from here; the components below only display them.
  const stream = useRunStream(runId, run.data ? { pending, leaderboard: run.data.leaderboard } : undefined, refetch)

  useRememberWorkspace(run.data?.workspace_id)
  if (run.isPending) return <Spinner />
  if (run.isError) return <LoadError error={run.error} what="Run" id={runId} />
  const r = run.data
  const table = stream.leaderboard
  // live trials from the stream; a run whose events are gone still has them in its result
  const trials = stream.trials.length ? stream.trials : trialsOfResult(r.result)
  const sort = typeof r.result?.sort === 'string' ? r.result.sort : typeof r.plan_params?.sort === 'string' ? r.plan_params.sort : null

  return (
    <>
      <RunHeader run={r} table={table} />
      {!pending && <div className="mb-4 flex justify-end"><RunAgain runId={r.id} /></div>}
      {r.status === 'failed' && r.error && (
        <pre role="alert" className="mb-5 overflow-x-auto rounded-md border border-red-200 bg-red-50 p-3 font-mono text-xs whitespace-pre-wrap text-red-800">
          {r.error}
        </pre>
      )}
      <RunWarnings warnings={stream.warnings} />
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card title="Leaderboard" id="leaderboard" actions={<RunProgress progress={stream.progress} pending={pending} />}>
          <ImproveLeaderboard run={r} table={table} rowHref={pending ? undefined : modelHref} />
        </Card>
        <EventStream events={stream.events} status={stream.status} error={stream.error} />
      </div>
      {trials.length > 0 && (
        <div className="mt-6">
          <TrialsPanel trials={trials} metric={sort} />
        </div>
      )}
      {r.result && Object.keys(r.result).length > 0 && (
        <div className="mt-6">
          <RunResult result={r.result} />
        </div>
      )}
      <Card title="Request snapshot" id="snapshot" className="mt-6">
        <KeyValues label="Request snapshot" data={r.snapshot ?? {}} />
      </Card>
    </>
  )
}
