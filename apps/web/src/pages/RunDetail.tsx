/**
 * /runs/:runId — status header, live events, the leaderboard as `leaderboard.updated` events
 * arrive, cancel while pending, promote on success, and the request snapshot.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useState } from 'react'
import { useParams } from 'react-router-dom'

import { buildRunQuery, isPending, runsKeys } from '@/api/queries/runs'
import type { LeaderboardTable, WsEvent } from '@/api/types'
import { EventStream } from '@/components/EventStream'
import { Leaderboard } from '@/components/Leaderboard'
import { RunHeader } from '@/components/run/RunHeader'
import { progressOf, RunProgress, RunWarnings, warningOf, type RunProgressInfo, type RunWarning } from '@/components/run/RunProgress'
import { RunResult } from '@/components/run/RunResult'
import { Card } from '@/components/ui/Card'
import { Spinner } from '@/components/ui/feedback'
import { KeyValues } from '@/components/ui/KeyValues'
import { LoadError } from '@/components/ui/LoadError'
import { useRememberWorkspace } from '@/stores/ui'

const TABLE_KINDS = new Set(['leaderboard.updated', 'compare.finished', 'create.finished'])
const TERMINAL_KINDS = new Set(['run.finished', 'run.failed', 'run.cancelled', 'run.closed', 'pipeline.created'])

function isTable(x: unknown): x is LeaderboardTable {
  return !!x && typeof x === 'object' && Array.isArray((x as LeaderboardTable).rows)
}

export default function RunDetail() {
  const { runId = '' } = useParams()
  const qc = useQueryClient()
  const run = useQuery(buildRunQuery(runId))
  // The newest streamed table, tagged with its run so a run switch never shows another's rows.
  const [live, setLive] = useState<{ runId: string; table: LeaderboardTable } | null>(null)
  const liveTable = live?.runId === runId ? live.table : null
  // The newest `progress` and every `warning` of the stream, tagged with their run like `live`.
  const [progress, setProgress] = useState<{ runId: string; info: RunProgressInfo } | null>(null)
  const [warnings, setWarnings] = useState<{ runId: string; list: RunWarning[] }>({ runId, list: [] })
  const [, tick] = useState(0)

  const pending = isPending(run.data?.status)
  useEffect(() => {
    if (!pending) return
    const t = setInterval(() => tick((n) => n + 1), 1000) // keep the elapsed time moving
    return () => clearInterval(t)
  }, [pending])

  const onEvent = useCallback(
    (e: WsEvent) => {
      const table = e.payload?.leaderboard
      if (TABLE_KINDS.has(e.kind) && isTable(table)) setLive({ runId, table })
      const info = progressOf(e)
      if (info) setProgress({ runId, info })
      const warning = warningOf(e)
      if (warning) {
        setWarnings((prev) => {
          const list = prev.runId === runId ? prev.list : []
          return list.some((w) => w.id === warning.id) ? prev : { runId, list: [...list, warning] }
        })
      }
      if (TERMINAL_KINDS.has(e.kind)) void qc.invalidateQueries({ queryKey: runsKeys.detail(runId) })
    },
    [qc, runId],
  )

  useRememberWorkspace(run.data?.workspace_id)
  if (run.isPending) return <Spinner />
  if (run.isError) return <LoadError error={run.error} what="Run" id={runId} />
  const r = run.data
  // A finished run's stored table is final; while running, the newest streamed one wins.
  const table = (!pending && r.leaderboard) || liveTable || r.leaderboard

  return (
    <>
      <RunHeader run={r} table={table} />
      {r.status === 'failed' && r.error && (
        <pre role="alert" className="mb-5 overflow-x-auto rounded-md border border-red-200 bg-red-50 p-3 font-mono text-xs whitespace-pre-wrap text-red-800">
          {r.error}
        </pre>
      )}
      <RunWarnings warnings={warnings.runId === runId ? warnings.list : []} />
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card title="Leaderboard" id="leaderboard" actions={<RunProgress progress={progress?.runId === runId ? progress.info : null} pending={pending} />}>
          <Leaderboard table={table} />
        </Card>
        <EventStream runId={runId} onEvent={onEvent} />
      </div>
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
