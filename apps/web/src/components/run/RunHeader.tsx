/** Run detail header: tone-coded status, short id, plan, duration; Cancel while pending, Promote
 * when the server says the run's model can become a pipeline (succeeded, or a cancelled
 * improving run that kept its best so far). */
import { Link } from 'react-router-dom'

import { isPending, useCancelRun } from '@/api/queries/runs'
import type { LeaderboardTable, Run } from '@/api/types'
import { PromoteForm } from '@/components/run/PromoteForm'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { elapsedMs, formatDateTime, formatDuration, shortId } from '@/lib/format'

function CancelButton({ run }: { run: Run }) {
  const cancel = useCancelRun()
  const requested = run.cancel_requested || cancel.isSuccess
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="danger" busy={cancel.isPending} disabled={requested} onClick={() => cancel.mutate(run.id)}>
        {requested ? 'Cancelling…' : 'Cancel run'}
      </Button>
      {cancel.error && <ErrorNotice error={cancel.error} />}
    </div>
  )
}

export function RunHeader({ run: r, table }: { run: Run; table: LeaderboardTable | null | undefined }) {
  return (
    <div className="mb-5 flex flex-wrap items-start justify-between gap-4">
      <div>
        <nav aria-label="Breadcrumb" className="mb-1 text-xs text-slate-500">
          <Link to={`/experiments/${r.experiment_id}`} className="hover:text-teal-700 hover:underline">Experiment</Link>
          <span aria-hidden> / Runs</span>
        </nav>
        <h1 className="flex items-center gap-3 text-xl font-semibold text-slate-900">
          Run <code className="font-mono text-lg" title={r.id}>{shortId(r.id)}</code>
          <StatusBadge status={r.status} className="text-sm" />
        </h1>
        <div className="mt-1 flex flex-wrap gap-4 text-sm text-slate-500">
          <span>plan <strong className="font-medium text-slate-700">{r.plan}</strong></span>
          {r.model_id && <span>model <code className="font-mono text-slate-700">{r.model_id}</code></span>}
          <span>submitted {formatDateTime(r.created_at)}</span>
          <span data-testid="run-duration">
            duration <span className="font-mono text-slate-700">{formatDuration(elapsedMs(r.started_at, r.finished_at))}</span>
          </span>
        </div>
      </div>
      <div className="flex items-center gap-2">
        {isPending(r.status) && <CancelButton run={r} />}
        {r.promotable && <PromoteForm run={r} table={table} />}
      </div>
    </div>
  )
}
