/**
 * The experiment's new-run sidebar, generated from `GET /describe/plans`: the plans that start
 * from the experiment's data (Auto first; the improving plans start from a run's leaderboard),
 * each plan's parameters as declared, a model for `create` (from `describe.models(task)`), and
 * one data picker mixing uploads and samples (empty = the experiment's data).
 */
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router-dom'

import { buildListDataSourcesQuery } from '@/api/queries/dataSources'
import { buildMetricsQuery, buildModelsQuery, buildPlansQuery, buildSamplesQuery } from '@/api/queries/describe'
import { useSubmitRun } from '@/api/queries/runs'
import type { Experiment, PlanInfo, RunCreate, RunPlan, TaskId } from '@/api/types'
import { DataSourcePicker, parseDataChoice } from '@/components/experiment/DataSourcePicker'
import { ModelPicker } from '@/components/experiment/ModelPicker'
import { formParams, initialValues, planLabel, planParamsBody, takesSource, type PlanFormValues } from '@/components/experiment/planParams'
import { PlanParamsForm } from '@/components/experiment/PlanParamsForm'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Select } from '@/components/ui/form'

/** Most useful first: Auto, then a comparison; plans this list does not know come last. */
const ORDER = ['auto', 'compare', 'create', 'setup']
const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length)

/** The plans this form starts (not the improving ones, which start from a run), Auto first. */
export function startingPlans(plans: PlanInfo[]): PlanInfo[] {
  return plans.filter((p) => !takesSource(p)).sort((a, b) => rank(a.id) - rank(b.id))
}

export function NewRunForm({ experiment, workspaceId }: { experiment: Experiment; workspaceId: string }) {
  const task = experiment.task as TaskId
  const plans = useQuery(buildPlansQuery(task))
  const models = useQuery(buildModelsQuery(task))
  const metrics = useQuery(buildMetricsQuery(task))
  const uploads = useQuery({ ...buildListDataSourcesQuery(workspaceId), enabled: !!workspaceId })
  const samples = useQuery(buildSamplesQuery())
  const submit = useSubmitRun(experiment.id)
  const navigate = useNavigate()
  const offered = useMemo(() => startingPlans(plans.data ?? []), [plans.data])
  const [chosen, setChosen] = useState<string | null>(null)
  const plan = offered.find((p) => p.id === chosen) ?? offered[0]
  const params = useMemo(() => (plan ? formParams(plan) : []), [plan])
  const [edited, setEdited] = useState<{ plan: string; values: PlanFormValues } | null>(null)
  const values = edited && edited.plan === plan?.id ? edited.values : initialValues(params)
  const [model, setModel] = useState('')
  const [data, setData] = useState('')
  const { body: planParams, problems } = planParamsBody(params, values)
  const needsModel = !!plan?.takes_model

  const send = (e: FormEvent) => {
    e.preventDefault()
    if (!plan) return
    const body: RunCreate = { plan: plan.id as RunPlan, ...parseDataChoice(data) }
    if (needsModel) body.model_id = model
    if (Object.keys(planParams).length) body.plan_params = planParams
    submit.mutate(body, { onSuccess: (run) => navigate(`/runs/${run.id}`) })
  }

  if (plans.isPending) return <Card title="New run" id="new-run"><Spinner /></Card>
  return (
    <Card title="New run" id="new-run">
      <ErrorNotice error={plans.error} />
      <form onSubmit={send} className="space-y-4" aria-label="New run">
        <Field label="Plan" hint={plan?.description}>
          {(p) => (
            <Select {...p} value={plan?.id ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {offered.map((x) => <option key={x.id} value={x.id}>{planLabel(x.id)}</option>)}
            </Select>
          )}
        </Field>
        {needsModel && (
          <Field label="Model" error={models.error ? models.error.message : null}>
            {(p) => <ModelPicker {...p} required value={model} onChange={setModel} models={models.data ?? []} />}
          </Field>
        )}
        {plan && !needsModel && (
          <PlanParamsForm title={`${planLabel(plan.id)} options`} params={params} values={values} problems={problems}
            onChange={(next) => setEdited({ plan: plan.id, values: next })} models={models.data ?? []} metrics={metrics.data ?? []} />
        )}
        <Field label="Data source" hint="Leave as is to use the experiment's data.">
          {(p) => (
            <DataSourcePicker {...p} value={data} onChange={setData} uploads={uploads.data?.data ?? []}
              samples={samples.data ?? []} emptyLabel="Experiment's data (default)"
              usableFor={{ task: experiment.task, target: experiment.target }} />
          )}
        </Field>
        <ErrorNotice error={submit.error} />
        <Button type="submit" className="w-full" busy={submit.isPending}
          disabled={!plan || (needsModel && !model) || Object.keys(problems).length > 0}>
          Start run
        </Button>
      </form>
    </Card>
  )
}
