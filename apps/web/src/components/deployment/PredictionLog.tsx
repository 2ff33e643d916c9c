/**
 * A deployment's prediction log: browse it page by page and filter it by time range and outcome
 * (`GET /deployments/:id/predictions?since&until&outcome&offset`); the CSV export takes the same filter.
 */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'

import { buildPredictionLogQuery, PREDICTION_LOG_PAGE } from '@/api/queries/deployments'
import type { PredictionLogFilter } from '@/api/types'
import { ExportLog } from '@/components/deployment/ExportLog'
import { Button } from '@/components/ui/Button'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatCount, formatDuration, formatTime } from '@/lib/format'

type Outcome = '' | 'ok' | 'error'

/** What the user typed: `datetime-local` values (local time) and the outcome. */
interface FilterInput {
  since: string
  until: string
  outcome: Outcome
}

const NO_FILTER: FilterInput = { since: '', until: '', outcome: '' }

/** A `datetime-local` value as ISO-8601 UTC for the API; empty or unreadable means no bound. */
function toIso(local: string): string | undefined {
  if (!local) return undefined
  const t = new Date(local)
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString()
}

/** The API's filter for what the user typed (offset left out: the export takes every page). */
export function logFilter(input: FilterInput): PredictionLogFilter {
  const f: PredictionLogFilter = {}
  const since = toIso(input.since)
  const until = toIso(input.until)
  if (since) f.since = since
  if (until) f.until = until
  if (input.outcome) f.outcome = input.outcome
  return f
}

function Filters({ value, onChange }: { value: FilterInput; onChange: (v: FilterInput) => void }) {
  const field = 'rounded border border-slate-300 px-2 py-1'
  const filtered = value.since !== '' || value.until !== '' || value.outcome !== ''
  return (
    <div className="mb-2 flex flex-wrap items-end gap-3 text-sm" role="group" aria-label="Filter the log">
      <label className="flex flex-col text-xs text-slate-600">
        From
        <input type="datetime-local" className={field} value={value.since} onChange={(e) => onChange({ ...value, since: e.target.value })} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Until
        <input type="datetime-local" className={field} value={value.until} onChange={(e) => onChange({ ...value, until: e.target.value })} />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        Outcome
        <select className={field} value={value.outcome} onChange={(e) => onChange({ ...value, outcome: e.target.value as Outcome })}>
          <option value="">every call</option>
          <option value="ok">ok calls</option>
          <option value="error">failed calls</option>
        </select>
      </label>
      {filtered && (
        <Button variant="secondary" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </Button>
      )}
    </div>
  )
}

function Pager({ offset, shown, total, onOffset }: { offset: number; shown: number; total: number; onOffset: (o: number) => void }) {
  return (
    <div className="mt-2 flex items-center gap-3 text-sm text-slate-600">
      <span>
        {formatCount(offset + 1)}–{formatCount(offset + shown)} of {formatCount(total)}
      </span>
      <Button variant="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - PREDICTION_LOG_PAGE))}>
        Newer
      </Button>
      <Button variant="secondary" disabled={offset + shown >= total} onClick={() => onOffset(offset + PREDICTION_LOG_PAGE)}>
        Older
      </Button>
    </div>
  )
}

function LogPage({ deploymentId, filter, onOffset }: { deploymentId: string; filter: PredictionLogFilter; onOffset: (o: number) => void }) {
  const log = useQuery(buildPredictionLogQuery(deploymentId, filter))
  if (log.isPending) return <Spinner />
  if (log.isError) return <ErrorNotice error={log.error} />
  const rows = log.data.data
  if (rows.length === 0) {
    return filter.since || filter.until || filter.outcome || filter.offset
      ? <EmptyState title="No calls match">Widen the time range or choose every call.</EmptyState>
      : <EmptyState title="No requests yet">Try a prediction above.</EmptyState>
  }
  return (
    <>
      <Table caption="Recent requests" head={<><Th>Time</Th><Th>Request</Th><Th>Status</Th><Th className="text-right">Latency</Th></>}>
        {rows.map((r) => (
          <tr key={r.id}>
            <Td className="font-mono text-xs text-slate-500">{formatTime(r.created_at)}</Td>
            <Td className="font-mono text-xs">{r.request_id}</Td>
            <Td className={r.status_code >= 400 ? 'text-red-700' : 'text-green-700'}>{r.status_code}</Td>
            <Td className="text-right font-mono tabular-nums">{formatDuration(r.latency_ms)}</Td>
          </tr>
        ))}
      </Table>
      <Pager offset={filter.offset ?? 0} shown={rows.length} total={log.data.total} onOffset={onOffset} />
    </>
  )
}

/** Filters, the CSV export of what they select, and the matching calls a page at a time. */
export function PredictionLog({ deploymentId, slug }: { deploymentId: string; slug: string }) {
  const [input, setInput] = useState<FilterInput>(NO_FILTER)
  const [offset, setOffset] = useState(0)
  const filter = logFilter(input)
  return (
    <>
      <Filters
        value={input}
        onChange={(v) => {
          setInput(v)
          setOffset(0)
        }}
      />
      <ExportLog deploymentId={deploymentId} slug={slug} filter={filter} />
      <LogPage deploymentId={deploymentId} filter={offset ? { ...filter, offset } : filter} onOffset={setOffset} />
    </>
  )
}
