/**
 * A model's plots, as the server lists them (`ModelRead.plots`): the evaluation plots drawn from
 * the run's stored predictions, and the explanations, which a worker computes on request
 * ("Compute explanations" POSTs the analysis job, then its state is polled until done). Only members
 * the server says may change the workspace (editors, owners) are offered the button.
 */
import { useQuery } from '@tanstack/react-query'

import { buildAnalysisQuery, buildModelPlotQuery, isWorking, useComputeAnalysis } from '@/api/queries/models'
import { useWorkspaceAbilities } from '@/api/queries/workspaces'
import type { AnalysisRead, AnalysisStatus, ModelPlotInfo } from '@/api/types'
import { Chart } from '@/components/charts/Chart'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'

interface Ids {
  runId: string
  modelId: string
}

/** One plot, fetched when shown, drawn by the generic Chart. */
export function ModelPlot({ runId, modelId, info }: Ids & { info: ModelPlotInfo }) {
  const plot = useQuery(buildModelPlotQuery(runId, modelId, info.id))
  return (
    <div className="min-w-0 rounded-md border border-slate-200 p-3" data-testid="model-plot" data-plot={info.id}>
      {plot.isPending && <Spinner label={`Loading ${info.title}…`} />}
      <ErrorNotice error={plot.error} title={info.title} />
      {plot.data && <Chart plot={plot.data} filename={`${modelId}-${info.id}`} />}
    </div>
  )
}

function Unavailable({ infos, why }: { infos: ModelPlotInfo[]; why: string }) {
  if (infos.length === 0) return null
  return (
    <p className="mt-3 text-xs text-slate-500">
      {why}: {infos.map((p) => p.title).join(', ')}.
    </p>
  )
}

/** The evaluation plots (source `predictions`), two per row. */
export function EvaluationPlots({ runId, modelId, plots, missing: why }: Ids & { plots: ModelPlotInfo[]; missing?: string | null }) {
  const shown = plots.filter((p) => p.source === 'predictions' && p.available)
  const missing = plots.filter((p) => p.source === 'predictions' && !p.available)
  if (shown.length === 0 && missing.length === 0) return <p className="text-sm text-slate-500">This task has no evaluation plots.</p>
  return (
    <>
      {shown.length === 0 && (
        <p className="text-sm text-slate-500">
          The run stored no predictions for this model, so nothing can be drawn{why ? `: ${why}.` : '.'}
        </p>
      )}
      <div className="grid gap-4 xl:grid-cols-2">
        {shown.map((p) => <ModelPlot key={p.id} runId={runId} modelId={modelId} info={p} />)}
      </div>
      {shown.length > 0 && <Unavailable infos={missing} why="Not available for this model" />}
    </>
  )
}

/** The analysis plots ready to draw: those the model lists as available, and those the job wrote. */
export function readyAnalysisPlots(plots: ModelPlotInfo[], analysis: AnalysisRead | null | undefined): ModelPlotInfo[] {
  const written = new Set(analysis?.plots ?? [])
  return plots.filter((p) => p.source === 'analysis' && (p.available || written.has(p.id)))
}

function AnalysisState({ analysis }: { analysis: AnalysisRead }) {
  if (isWorking(analysis)) {
    return <Spinner label={analysis.status === 'queued' ? 'Explanations queued: waiting for a worker…' : 'Computing explanations…'} />
  }
  if (analysis.status === 'failed') {
    return <ErrorNotice error={analysis.error || 'The analysis failed.'} title="Explanations could not be computed" />
  }
  return null
}

interface ExplanationsProps extends Ids {
  plots: ModelPlotInfo[]
  /** The job's status as the model reports it (`ModelRead.analysis`): null when none was requested. */
  requested: AnalysisStatus | null | undefined
  workspaceId: string | undefined
}

/** Feature importance, permutation importance, learning curve and SHAP summary, on request. */
export function Explanations({ runId, modelId, plots, requested, workspaceId }: ExplanationsProps) {
  const all = plots.filter((p) => p.source === 'analysis')
  const compute = useComputeAnalysis(runId, modelId)
  // only a job that exists is asked for (the model names it, or this page just queued it)
  const analysis = useQuery({ ...buildAnalysisQuery(runId, modelId), enabled: all.length > 0 && (!!requested || compute.isSuccess) })
  const can = useWorkspaceAbilities(all.length > 0 ? workspaceId : undefined) // asked only when there is something to offer
  const ready = readyAnalysisPlots(plots, analysis.data)
  const working = isWorking(analysis.data)
  const done = analysis.data?.status === 'done'
  if (all.length === 0) return <p className="text-sm text-slate-500">This task has no explanations.</p>
  const offer = !working && !done && ready.length === 0
  const retry = analysis.data?.status === 'failed'
  return (
    <div className="space-y-3">
      {(offer || retry) && can && !can.change && (
        <p className="text-sm text-slate-500">Explanations have not been computed for this model; an editor can compute explanations.</p>
      )}
      {(offer || retry) && can?.change && (
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={() => compute.mutate()} busy={compute.isPending}>
            {retry ? 'Compute explanations again' : 'Compute explanations'}
          </Button>
          <p className="max-w-prose text-xs text-slate-500">
            A worker refits the model on the run&apos;s data for: {all.map((p) => p.title).join(', ')}.
            It can take a while; the page follows it.
          </p>
        </div>
      )}
      <ErrorNotice error={compute.error} />
      <ErrorNotice error={analysis.error} />
      {analysis.data && <AnalysisState analysis={analysis.data} />}
      <div className="grid gap-4 xl:grid-cols-2">
        {ready.map((p) => <ModelPlot key={p.id} runId={runId} modelId={modelId} info={p} />)}
      </div>
      {done && <Unavailable infos={all.filter((p) => !ready.includes(p))} why="Not computed for this model" />}
    </div>
  )
}
