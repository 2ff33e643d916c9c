import { memo, useCallback, useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'

import type { Run } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { Table, Td, Th } from '@/components/ui/Table'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { elapsedMs, formatDateTime, formatDuration, formatNumber, shortId } from '@/lib/format'

/** Only a finished run has a leaderboard to compare. */
const comparable = (run: Run) => run.status === 'succeeded' && !!run.leaderboard?.rows?.length

const RunRow = memo(function RunRow({ run, selected, onToggle }: { run: Run; selected: boolean; onToggle: (id: string) => void }) {
  const navigate = useNavigate()
  return (
    <tr className="cursor-pointer hover:bg-slate-50" onClick={() => navigate(`/runs/${run.id}`)} data-testid="run-row">
      <Td className="w-8">
        <input
          type="checkbox"
          className="size-4 accent-teal-700"
          aria-label={`Select run ${shortId(run.id)} to compare`}
          checked={selected}
          disabled={!comparable(run)}
          title={comparable(run) ? undefined : 'Only a succeeded run with a leaderboard can be compared'}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onToggle(run.id)}
        />
      </Td>
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

/** Pick runs and open the compare view with them. */
function CompareBar({ experimentId, picked }: { experimentId: string; picked: string[] }) {
  const navigate = useNavigate()
  return (
    <div className="mb-3 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
      <span>Select two or more finished runs to see their leaderboards and scores side by side.</span>
      <Button
        size="sm"
        variant="secondary"
        disabled={picked.length < 2}
        onClick={() => navigate(`/experiments/${experimentId}/compare?runs=${picked.map(encodeURIComponent).join(',')}`)}
      >
        Compare {picked.length >= 2 ? `${picked.length} runs` : 'runs'}
      </Button>
    </div>
  )
}

/** Runs of an experiment, newest first; a row opens the run; ticked runs open side by side. */
export function RunsTable({ runs }: { runs: Run[] }) {
  const sorted = [...runs].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))
  const [picked, setPicked] = useState<string[]>([])
  const toggle = useCallback((id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id])), [])
  const present = picked.filter((id) => sorted.some((r) => r.id === id))
  return (
    <>
    {sorted.length > 1 && sorted[0] && <CompareBar experimentId={sorted[0].experiment_id} picked={present} />}
    <Table
      caption="Runs"
      head={<><Th><span className="sr-only">Compare</span></Th><Th>Run</Th><Th>Status</Th><Th>Plan</Th><Th>Model</Th><Th>Best model</Th><Th className="text-right">Best score</Th><Th>Data</Th><Th>Submitted</Th><Th className="text-right">Duration</Th></>}
    >
      {sorted.map((r) => <RunRow key={r.id} run={r} selected={present.includes(r.id)} onToggle={toggle} />)}
    </Table>
    </>
  )
}
