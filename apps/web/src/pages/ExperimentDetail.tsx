import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router-dom'

import { buildDataSourceQuery } from '@/api/queries/dataSources'
import { buildSetupParamsQuery } from '@/api/queries/describe'
import { buildExperimentQuery, useDeleteExperiment, useUpdateExperiment } from '@/api/queries/experiments'
import { buildProjectQuery } from '@/api/queries/projects'
import { buildListRunsQuery, isPending } from '@/api/queries/runs'
import { useWorkspaceAbilities } from '@/api/queries/workspaces'
import type { Experiment, TaskId } from '@/api/types'
import { ExperimentConfig } from '@/components/experiment/ExperimentConfig'
import { NewRunForm } from '@/components/experiment/NewRunForm'
import { RunsTable } from '@/components/experiment/RunsTable'
import { Card } from '@/components/ui/Card'
import { ConfirmDelete } from '@/components/ui/ConfirmDelete'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { LoadError } from '@/components/ui/LoadError'
import { PageHeader } from '@/components/ui/PageHeader'
import { RenameForm } from '@/components/ui/RenameForm'
import { useRememberWorkspace } from '@/stores/ui'

/** Rename/re-describe and delete, for editors and owners; a deleted experiment leads back to its project. */
function ExperimentActions({ experiment }: { experiment: Experiment }) {
  const can = useWorkspaceAbilities(experiment.workspace_id)
  const update = useUpdateExperiment(experiment.id)
  const remove = useDeleteExperiment()
  const navigate = useNavigate()
  if (!can?.change) return null
  return (
    <>
      <RenameForm
        what="experiment"
        current={{ name: experiment.name, description: experiment.description }}
        busy={update.isPending}
        error={update.error}
        onSave={(v, done) => update.mutate(v, { onSuccess: done })}
        onClose={update.reset}
      />
      <ConfirmDelete
        what={`experiment ${experiment.name}`}
        warning="Its runs are deleted too; pipelines promoted from them stay."
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(experiment.id, { onSuccess: () => navigate(`/projects/${experiment.project_id}`) })}
      />
    </>
  )
}

export default function ExperimentDetail() {
  const { experimentId = '' } = useParams()
  const experiment = useQuery(buildExperimentQuery(experimentId))
  const projectId = experiment.data?.project_id ?? ''
  const project = useQuery({ ...buildProjectQuery(projectId), enabled: !!projectId })
  const runs = useQuery(buildListRunsQuery(experimentId))
  const sourceId = experiment.data?.data_source_id ?? ''
  const source = useQuery({ ...buildDataSourceQuery(sourceId), enabled: !!sourceId })
  const task = (experiment.data?.task ?? '') as TaskId
  const setupParams = useQuery({ ...buildSetupParamsQuery(task), enabled: !!task })

  useRememberWorkspace(experiment.data?.workspace_id)
  if (experiment.isPending) return <Spinner />
  if (experiment.isError) return <LoadError error={experiment.error} what="Experiment" id={experimentId} />
  const x = experiment.data
  const live = runs.data?.data.some((r) => isPending(r.status)) ?? false
  // The data by name, never by UUID: a sample's id, or the upload's name once it has loaded.
  const sourceName = source.data?.name ?? (source.isError ? 'a deleted data source' : '…')
  const data = x.sklearn_dataset ? `sklearn:${x.sklearn_dataset}` : sourceId ? sourceName : '—'
  const dataLink = source.data
    ? <Link to={`/data-sources/${source.data.id}`} className="text-teal-800 hover:underline" data-testid="experiment-data">{data}</Link>
    : <span data-testid="experiment-data">{data}</span>

  return (
    <>
      <PageHeader
        title={x.name}
        crumbs={[
          ...(project.data ? [{ label: project.data.name, to: `/projects/${projectId}` }] : []),
          { label: 'Experiments' },
        ]}
        meta={<><span>{x.task}</span><span>{x.target ? <>target <code className="font-mono">{x.target}</code></> : 'no target'}</span>{dataLink}</>}
        actions={<ExperimentActions experiment={x} />}
      />
      {x.description && <p className="-mt-3 mb-5 text-sm text-slate-600">{x.description}</p>}
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="min-w-0 space-y-6">
          <Card
            title="Runs"
            id="runs"
            actions={live ? <span className="text-xs font-medium text-teal-700" role="status">● updating live</span> : undefined}
          >
            {runs.isPending && <Spinner />}
            <ErrorNotice error={runs.error} />
            {runs.data?.data.length === 0 && <EmptyState title="No runs yet">Start one from the panel on the right.</EmptyState>}
            {!!runs.data?.data.length && <RunsTable runs={runs.data.data} />}
          </Card>
          <Card title="Configuration" id="config">
            <ExperimentConfig experiment={x} data={data} params={setupParams.data} />
          </Card>
        </div>
        <aside aria-label="New run">
          <NewRunForm experiment={x} workspaceId={project.data?.workspace_id ?? ''} />
        </aside>
      </div>
    </>
  )
}
