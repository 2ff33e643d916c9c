import { memo } from 'react'
import { Link, useNavigate } from 'react-router-dom'

import type { Run } from '@/api/types'
import { Table, Td, Th } from '@/components/ui/Table'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { elapsedMs, formatDateTime, formatDuration, formatNumber, shortId } from '@/lib/format'

const RunRow = memo(function RunRow({ run }: { run: Run }) {
  const navigate = useNavigate()
  return (
    <tr className="cursor-pointer hover:bg-slate-50" onClick={() => navigate(`/runs/${run.id}`)} data-testid="run-row">
      <Td>
        <Link to={`/runs/${run.id}`} className="font-mono text-xs font-medium text-teal-800 hover:underline" aria-label={`Run ${shortId(run.id)}`}>
          {shortId(run.id)}
        </Link>
      </Td>
      <Td><StatusBadge status={run.status} /></Td>
      <Td>{run.plan}</Td>
      <Td className="font-mono text-xs">{run.model_id ?? '—'}</Td>
      <Td>{run.best?.model ?? '—'}</Td>
      <Td className="text-right font-mono whitespace-nowrap tabular-nums">
        {run.best?.score !== null && run.best?.score !== undefined ? (
          <span title={`${run.best.metric} ${run.best.score}`} data-testid="run-best-score">
            <span className="mr-1 text-xs text-slate-500">{run.best.metric}</span>
            {formatNumber(run.best.score)}
          </span>
        ) : (
          '—'
        )}
      </Td>
      <Td className="text-slate-600">{run.sklearn_dataset ? `sklearn:${run.sklearn_dataset}` : run.data_source_id ? 'upload' : 'default'}</Td>
      <Td className="whitespace-nowrap text-slate-500">{formatDateTime(run.created_at)}</Td>
      <Td className="text-right font-mono tabular-nums">{formatDuration(elapsedMs(run.started_at, run.finished_at))}</Td>
    </tr>
  )
})

/** Runs of an experiment, newest first; a row opens the run. */
export function RunsTable({ runs }: { runs: Run[] }) {
  const sorted = [...runs].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))
  return (
    <Table
      caption="Runs"
      head={<><Th>Run</Th><Th>Status</Th><Th>Plan</Th><Th>Model</Th><Th>Best model</Th><Th className="text-right">Best score</Th><Th>Data</Th><Th>Submitted</Th><Th className="text-right">Duration</Th></>}
    >
      {sorted.map((r) => <RunRow key={r.id} run={r} />)}
    </Table>
  )
}
