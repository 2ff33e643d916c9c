/**
 * New-experiment wizard: 1 data and target, 2 task, 3 settings rendered from
 * `describe.setup_params(task)`. Only the settings the user changed are sent. An upload's profile
 * (findings; the target's distribution once a target is picked) shows before the first run.
 * The task says whether there is a target (`describe.tasks()[].target`): required, optional (a
 * label column to score against) or none (the field is hidden and the target sent is "").
 */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useNavigate, useParams } from 'react-router-dom'

import { buildListDataSourcesQuery } from '@/api/queries/dataSources'
import { buildSamplesQuery, buildSetupParamsQuery, buildTasksQuery } from '@/api/queries/describe'
import { useCreateExperiment } from '@/api/queries/experiments'
import { buildProjectQuery } from '@/api/queries/projects'
import type { ExperimentCreate, SetupParam, TaskGuess, TaskId } from '@/api/types'
import { DataSourcePicker, parseDataChoice } from '@/components/experiment/DataSourcePicker'
import { paramsValid, withColumnsOf, withoutColumn, type ParamValues } from '@/components/experiment/SetupParamsForm'
import { ProfileSummary } from '@/components/profile/ProfileSummary'
import { SettingsStep, Step, TargetInput, TaskPicker, TaskSuggestion } from '@/components/experiment/WizardSteps'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { PageHeader } from '@/components/ui/PageHeader'

/** Experiment fields the wizard's own steps set; a setup parameter of the same name is not repeated. */
const WIZARD_FIELDS: ReadonlySet<string> = new Set<keyof ExperimentCreate>(['task', 'target'])
const settingsOnly = (params: SetupParam[]) => params.filter((p) => !WIZARD_FIELDS.has(p.name))

export default function NewExperimentPage() {
  const { projectId = '' } = useParams()
  const navigate = useNavigate()
  const project = useQuery(buildProjectQuery(projectId))
  const ws = project.data?.workspace_id ?? ''
  const uploads = useQuery({ ...buildListDataSourcesQuery(ws), enabled: !!ws })
  const samples = useQuery(buildSamplesQuery())
  const tasks = useQuery(buildTasksQuery())
  const create = useCreateExperiment(projectId)

  const [name, setName] = useState('')
  const [data, setData] = useState('')
  const [target, setTarget] = useState('')
  const [task, setTask] = useState<TaskId | ''>('')
  const [values, setValues] = useState<ParamValues>({})
  const [guess, setGuess] = useState<TaskGuess | null>(null)

  const choice = parseDataChoice(data)
  const uploadId = 'data_source_id' in choice ? choice.data_source_id : ''
  const sample = 'sklearn_dataset' in choice ? samples.data?.find((s) => s.id === choice.sklearn_dataset) : undefined
  // The list already carries each upload's inferred columns: the target select is ready at once.
  const source = uploads.data?.data.find((d) => d.id === uploadId)
  const columns = (source?.columns ?? []).map((c) => c.name)
  const params = useQuery({ ...buildSetupParamsQuery(task as TaskId), enabled: !!task, select: settingsOnly })
  const chosen = tasks.data?.find((t) => t.id === task)
  const targetRule = chosen?.target ?? 'required'
  // a column's name as written: a header may begin or end with spaces
  const sentTarget = targetRule === 'none' || !target.trim() ? '' : target

  // New data: the target and the guess go, column settings keep only the new table's columns
  // (a sample's task starts from its defaults); settings that name no column stay.
  const pickData = (value: string) => {
    setData(value)
    setGuess(null)
    const c = parseDataChoice(value)
    const s = 'sklearn_dataset' in c ? samples.data?.find((x) => x.id === c.sklearn_dataset) : undefined
    const next = 'data_source_id' in c ? uploads.data?.data.find((d) => d.id === c.data_source_id) : undefined
    setTarget(s?.target ?? '')
    setValues((v) => withColumnsOf(v, params.data, next?.columns))
    if (s) pickTask(s.task as TaskId)
    if (!name && s) setName(`${s.name} experiment`)
  }
  function pickTask(t: TaskId | '') {
    if (t === task) return
    setTask(t)
    setValues({}) // settings differ per task; start from that task's defaults
  }
  // Picking an upload's target pre-selects the task the engine would infer for that column (the
  // server sends it with the schema); the user may override it. A chosen task that is never
  // inferred (a label column of anomaly detection) stays chosen.
  const pickTarget = (t: string) => {
    setTarget(t)
    setValues((v) => withoutColumn(v, params.data, t))
    if (chosen && !chosen.inferable) return
    const g = source?.columns.find((c) => c.name === t)?.task ?? null
    const known = g && tasks.data?.some((x) => x.id === g.task)
    setGuess(known ? g : null)
    if (g && known) pickTask(g.task as TaskId)
  }

  const ready =
    !!name.trim() && !!data && (targetRule !== 'required' || !!sentTarget) && !!task && (!params.data || paramsValid(params.data, values))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    // the API takes exactly one of the two (`ready` checked that one is chosen)
    const source =
      'data_source_id' in choice
        ? { data_source_id: choice.data_source_id }
        : 'sklearn_dataset' in choice
          ? { sklearn_dataset: choice.sklearn_dataset }
          : null
    if (!ready || !task || !source) return
    create.mutate(
      { name: name.trim(), task, target: sentTarget, ...source, setup_params: values },
      { onSuccess: (x) => navigate(`/experiments/${x.id}`) },
    )
  }

  if (project.isPending) return <Spinner />
  if (project.isError) return <ErrorNotice error={project.error} />

  return (
    <>
      <PageHeader title="New experiment" crumbs={[{ label: project.data.name, to: `/projects/${projectId}` }]} />
      <form onSubmit={submit} className="grid max-w-4xl gap-5" aria-label="New experiment">
        <Step n={1} title="Data and target">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Experiment name">{(p) => <Input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
            <Field label="Data" hint="An upload from this workspace, or a bundled sample." error={uploads.error ? uploads.error.message : null}>
              {(p) => <DataSourcePicker {...p} required value={data} onChange={pickData} uploads={uploads.data?.data ?? []} samples={samples.data ?? []} />}
            </Field>
            {targetRule === 'none' ? (
              <p className="self-end text-sm text-slate-500" data-testid="no-target">{chosen?.name} uses no target column.</p>
            ) : (
              <Field
                label={targetRule === 'optional' ? 'Label column (optional)' : 'Target column'}
                hint={targetRule === 'optional'
                  ? 'A column of known answers to score against; never used for training.'
                  : sample ? `The sample's target is “${sample.target}”.` : 'The column to predict.'}
              >
                {(p) => <TargetInput ids={p} columns={columns} value={target} onChange={pickTarget} required={targetRule === 'required'} />}
              </Field>
            )}
          </div>
          {uploadId && <ProfileSummary sourceId={uploadId} target={columns.includes(sentTarget) ? sentTarget : undefined} />}
        </Step>
        <Step n={2} title="Task">
          {tasks.isPending && <Spinner />}
          <ErrorNotice error={tasks.error} />
          <TaskPicker tasks={tasks.data ?? []} value={task} onChange={pickTask} />
          {guess && <TaskSuggestion guess={guess} chosen={task} tasks={tasks.data ?? []} />}
        </Step>
        <SettingsStep task={task} params={params.data} loading={params.isPending} error={params.error}
          values={values} onChange={setValues} columns={source?.columns.filter((c) => c.name !== sentTarget)} />
        <ErrorNotice error={create.error} />
        <div className="flex gap-2">
          <Button type="submit" busy={create.isPending} disabled={!ready}>Create experiment</Button>
          <Button variant="secondary" onClick={() => navigate(`/projects/${projectId}`)}>Cancel</Button>
        </div>
      </form>
    </>
  )
}
