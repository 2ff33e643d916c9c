/**
 * Queue an improving run (tune, ensemble, blend, stack) on models of this run's leaderboard:
 * the plan's parameters from `GET /describe/plans` (the source run and model ids are this
 * page's, never typed), then open the new run.
 */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router-dom'

import { buildMetricsQuery, buildModelsQuery, buildPlansQuery } from '@/api/queries/describe'
import { buildExperimentQuery } from '@/api/queries/experiments'
import { useSubmitRun } from '@/api/queries/runs'
import type { Run, RunCreate, RunPlan, TaskId } from '@/api/types'
import { formParams, initialValues, planLabel, planParamsBody, type PlanFormValues } from '@/components/experiment/planParams'
import { PlanParamsForm } from '@/components/experiment/PlanParamsForm'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'

export interface ImproveDraft {
  plan: string
  models: string[]
}

/** The source references of an improving plan: one model (tune, ensemble) or several. */
export function sourceParams(runId: string, draft: ImproveDraft): Record<string, unknown> {
  const several = draft.plan === 'blend' || draft.plan === 'stack'
  return { source_run_id: runId, ...(several ? { model_ids: draft.models } : { model_id: draft.models[0] }) }
}

export function ImproveForm({ run, draft, onClose }: { run: Run; draft: ImproveDraft; onClose: () => void }) {
  const plans = useQuery(buildPlansQuery())
  const experiment = useQuery(buildExperimentQuery(run.experiment_id))
  const task = (experiment.data?.task ?? '') as TaskId
  const models = useQuery({ ...buildModelsQuery(task), enabled: !!task })
  const metrics = useQuery({ ...buildMetricsQuery(task), enabled: !!task })
  const submit = useSubmitRun(run.experiment_id)
  const navigate = useNavigate()
  const plan = plans.data?.find((p) => p.id === draft.plan)
  const params = plan ? formParams(plan) : []
  const [edited, setEdited] = useState<PlanFormValues | null>(null)
  const values = edited ?? initialValues(params)
  const { body, problems } = planParamsBody(params, values)
  const label = planLabel(draft.plan)

  const send = (e: FormEvent) => {
    e.preventDefault()
    const request: RunCreate = { plan: draft.plan as RunPlan, plan_params: { ...sourceParams(run.id, draft), ...body } }
    submit.mutate(request, { onSuccess: (created) => navigate(`/runs/${created.id}`) })
  }

  return (
    <form onSubmit={send} aria-label={`${label} options`} className="mb-4 space-y-3 rounded-md border border-teal-200 bg-teal-50/40 p-3">
      <div className="flex items-baseline justify-between gap-2">
        <p className="text-sm text-slate-700">
          <strong className="font-semibold">{label}</strong>{' '}
          {draft.models.map((m) => <code key={m} className="mr-1 rounded bg-white px-1 font-mono text-xs">{m}</code>)}
          {plan && <span className="block text-xs text-slate-500">{plan.description}</span>}
        </p>
        <Button type="button" variant="ghost" size="sm" onClick={onClose}>Close</Button>
      </div>
      <ErrorNotice error={plans.error} />
      {plans.data && !plan && <p role="alert" className="text-sm text-red-700">This server does not offer {draft.plan} yet.</p>}
      <PlanParamsForm params={params} values={values} problems={problems} onChange={setEdited}
        models={models.data ?? []} metrics={metrics.data ?? []} />
      <ErrorNotice error={submit.error} />
      <Button type="submit" busy={submit.isPending} disabled={!plan || Object.keys(problems).length > 0}>
        Start {label.toLowerCase()}
      </Button>
    </form>
  )
}
