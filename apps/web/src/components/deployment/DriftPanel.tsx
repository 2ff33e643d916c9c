/** A deployment's drift reports: compute one now, the newest report feature by feature, and
 * PSI per feature over time (the app's one Chart draws every plot). */
import { useQuery } from '@tanstack/react-query'

import { buildDriftReportQuery, buildDriftReportsQuery, useCreateDriftReport } from '@/api/queries/driftReports'
import { Chart } from '@/components/charts/Chart'
import { Button } from '@/components/ui/Button'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatTime } from '@/lib/format'

function Report({ id }: { id: string }) {
  const report = useQuery(buildDriftReportQuery(id))
  if (report.isPending) return <Spinner />
  if (report.isError) return <ErrorNotice error={report.error} />
  const r = report.data
  return (
    <div className="space-y-3">
      <p className="text-sm">
        Newest report: severity <strong>{r.severity}</strong> over {r.rows} logged rows (v{r.pipeline_version}).
      </p>
      {r.notes.map((n) => <p key={n} className="text-sm text-slate-500">{n}</p>)}
      <div className="grid gap-4 md:grid-cols-2">
        {(r.plots ?? []).map((p) => <Chart key={p.id} plot={p} filename={`drift-${p.id}`} />)}
      </div>
    </div>
  )
}

export function DriftPanel({ slug, canChange }: { slug: string; canChange: boolean }) {
  const reports = useQuery(buildDriftReportsQuery(slug))
  const create = useCreateDriftReport(slug)
  if (reports.isPending) return <Spinner />
  if (reports.isError) return <ErrorNotice error={reports.error} />
  const list = reports.data
  const newest = list.data[0]
  return (
    <div className="space-y-4">
      {canChange && (
        <Button busy={create.isPending} onClick={() => create.mutate()}>
          Compute a drift report now
        </Button>
      )}
      <ErrorNotice error={create.error} />
      {newest === undefined ? (
        <EmptyState title="No drift reports yet">Compute one now, or set a schedule on the deployment.</EmptyState>
      ) : (
        <>
          <Table caption="Drift reports" head={<><Th>Time</Th><Th>Trigger</Th><Th>Rows</Th><Th>Severity</Th></>}>
            {list.data.map((r) => (
              <tr key={r.id}>
                <Td className="font-mono text-xs text-slate-500">{formatTime(r.created_at)}</Td>
                <Td>{r.trigger}</Td>
                <Td>{r.rows}</Td>
                <Td>{r.severity}</Td>
              </tr>
            ))}
          </Table>
          {list.over_time && <Chart plot={list.over_time} filename="drift-over-time" />}
          <Report id={newest.id} />
        </>
      )}
    </div>
  )
}
