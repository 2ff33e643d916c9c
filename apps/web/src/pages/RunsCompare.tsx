/**
 * /experiments/:experimentId/compare?runs=a,b — two or more runs side by side: a metric chart
 * (one bar group per model, one colour per run) and their leaderboards, whose rows open models.
 */
import { useQueries, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useParams, useSearchParams } from 'react-router-dom'

import { buildExperimentQuery } from '@/api/queries/experiments'
import { buildRunQuery } from '@/api/queries/runs'
import type { Run } from '@/api/types'
import { Chart } from '@/components/charts/Chart'
import { compareChart, defaultMetric, parseRunIds, runLabel, sharedMetrics } from '@/components/experiment/compare'
import { Leaderboard } from '@/components/Leaderboard'
import { holdoutWhy } from '@/components/run/holdout'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Select } from '@/components/ui/form'
import { PageHeader } from '@/components/ui/PageHeader'
import { useRememberWorkspace } from '@/stores/ui'

const modelHref = (runId: string) => (row: Record<string, unknown>) =>
  typeof row.model_id === 'string' && !row.Error ? `/runs/${runId}/models/${encodeURIComponent(row.model_id)}` : undefined

function MetricChart({ runs }: { runs: Run[] }) {
  const metrics = sharedMetrics(runs)
  const [picked, setPicked] = useState<string>()
  const metric = picked && metrics.includes(picked) ? picked : defaultMetric(runs, metrics)
  if (!metric) return <EmptyState title="Nothing to chart">These runs have no scored models yet.</EmptyState>
  return (
    <>
      <label className="mb-3 flex items-center gap-2 text-sm text-slate-600">
        Metric
        <Select value={metric} onChange={(e) => setPicked(e.target.value)} className="w-auto">
          {metrics.map((m) => <option key={m} value={m}>{m}</option>)}
        </Select>
      </label>
      <Chart plot={compareChart(runs, metric)} hideTitle />
    </>
  )
}

export default function RunsCompare() {
  const { experimentId = '' } = useParams()
  const [search] = useSearchParams()
  const ids = parseRunIds(search.get('runs'))
  const experiment = useQuery(buildExperimentQuery(experimentId))
  const results = useQueries({ queries: ids.map((id) => buildRunQuery(id)) })
  useRememberWorkspace(experiment.data?.workspace_id)

  const runs = results.flatMap((r) => (r.data ? [r.data] : []))
  const loading = results.some((r) => r.isPending)
  const header = (
    <PageHeader
      title={`Compare ${ids.length} runs`}
      crumbs={[{ label: experiment.data?.name ?? 'Experiment', to: `/experiments/${experimentId}` }, { label: 'Runs' }]}
    />
  )
  if (ids.length < 2) {
    return <>{header}<EmptyState title="Pick two or more runs">Select runs in the experiment’s runs table, then Compare.</EmptyState></>
  }
  return (
    <>
      {header}
      {results.map((r, i) => r.error && <ErrorNotice key={ids[i]} error={r.error} title={`Run ${ids[i]}`} />)}
      {loading && <Spinner />}
      {!loading && (
        <div className="space-y-6">
          <Card title="Scores by model" id="compare-chart">
            <MetricChart runs={runs} />
          </Card>
          <div className="grid gap-6 xl:grid-cols-2">
            {runs.map((run) => (
              <Card key={run.id} title={runLabel(run)} id={`compare-${run.id}`}>
                <Leaderboard table={run.leaderboard} caption={`Leaderboard of ${runLabel(run)}`} rowHref={modelHref(run.id)} whyEmpty={holdoutWhy(run)} />
              </Card>
            ))}
          </div>
        </div>
      )}
    </>
  )
}
