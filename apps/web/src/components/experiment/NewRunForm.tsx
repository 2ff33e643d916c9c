/**
 * The experiment's new-run sidebar: plan, model (from `describe.models(task)`, required for
 * `create`), and one data picker mixing uploads and samples (empty = the experiment's data).
 */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router-dom'

import { buildListDataSourcesQuery } from '@/api/queries/dataSources'
import { buildMetricsQuery, buildModelsQuery, buildSamplesQuery } from '@/api/queries/describe'
import { useSubmitRun } from '@/api/queries/runs'
import type { Experiment, RunCreate, RunPlan, TaskId } from '@/api/types'
import { CompareOptions, compareParams, EMPTY_COMPARE } from '@/components/experiment/CompareOptions'
import { DataSourcePicker, parseDataChoice } from '@/components/experiment/DataSourcePicker'
import { ModelPicker } from '@/components/experiment/ModelPicker'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Select } from '@/components/ui/form'

const PLANS: Array<{ id: RunPlan; label: string; hint: string }> = [
  { id: 'compare', label: 'Compare models', hint: 'Cross-validate every available model and rank them.' },
  { id: 'create', label: 'Train one model', hint: 'Cross-validate one model: per-fold scores, mean and std.' },
  { id: 'setup', label: 'Check data (setup only)', hint: 'Infer the schema and run the data checks.' },
]

export function NewRunForm({ experiment, workspaceId }: { experiment: Experiment; workspaceId: string }) {
  const task = experiment.task as TaskId
  const models = useQuery(buildModelsQuery(task))
  const metrics = useQuery(buildMetricsQuery(task))
  const uploads = useQuery({ ...buildListDataSourcesQuery(workspaceId), enabled: !!workspaceId })
  const samples = useQuery(buildSamplesQuery())
  const submit = useSubmitRun(experiment.id)
  const navigate = useNavigate()
  const [plan, setPlan] = useState<RunPlan>('compare')
  const [model, setModel] = useState('')
  const [data, setData] = useState('')
  const [compare, setCompare] = useState(EMPTY_COMPARE)
  const needsModel = plan === 'create'

  const send = (e: FormEvent) => {
    e.preventDefault()
    const body: RunCreate = { plan, ...parseDataChoice(data) }
    if (needsModel) body.model_id = model
    const params = plan === 'compare' ? compareParams(compare) : {}
    if (Object.keys(params).length) body.plan_params = params
    submit.mutate(body, { onSuccess: (run) => navigate(`/runs/${run.id}`) })
  }

  return (
    <Card title="New run" id="new-run">
      <form onSubmit={send} className="space-y-4" aria-label="New run">
        <Field label="Plan" hint={PLANS.find((p) => p.id === plan)?.hint}>
          {(p) => (
            <Select {...p} value={plan} onChange={(e) => setPlan(e.target.value as RunPlan)}>
              {PLANS.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
            </Select>
          )}
        </Field>
        {needsModel && (
          <Field label="Model" error={models.error ? models.error.message : null}>
            {(p) => <ModelPicker {...p} required value={model} onChange={setModel} models={models.data ?? []} />}
          </Field>
        )}
        {plan === 'compare' && (
          <CompareOptions value={compare} onChange={setCompare} models={models.data ?? []} metrics={metrics.data ?? []} />
        )}
        <Field label="Data source" hint="Leave as is to use the experiment's data.">
          {(p) => (
            <DataSourcePicker {...p} value={data} onChange={setData} uploads={uploads.data?.data ?? []}
              samples={samples.data ?? []} emptyLabel="Experiment's data (default)"
              usableFor={{ task: experiment.task, target: experiment.target }} />
          )}
        </Field>
        <ErrorNotice error={submit.error} />
        <Button type="submit" className="w-full" busy={submit.isPending} disabled={needsModel && !model}>
          Start run
        </Button>
      </form>
    </Card>
  )
}
