import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate, useParams } from 'react-router-dom'

import { buildListExperimentsQuery } from '@/api/queries/experiments'
import { buildProjectQuery, useDeleteProject, useUpdateProject } from '@/api/queries/projects'
import { useWorkspaceAbilities } from '@/api/queries/workspaces'
import type { Project } from '@/api/types'
import { ConfirmDelete } from '@/components/ui/ConfirmDelete'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { LoadError } from '@/components/ui/LoadError'
import { PageHeader } from '@/components/ui/PageHeader'
import { RenameForm } from '@/components/ui/RenameForm'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

/** Rename/re-describe and delete, for editors and owners; a deleted project leads back to its workspace. */
function ProjectActions({ project }: { project: Project }) {
  const can = useWorkspaceAbilities(project.workspace_id)
  const update = useUpdateProject(project.id)
  const remove = useDeleteProject()
  const navigate = useNavigate()
  if (!can?.change) return null
  return (
    <>
      <RenameForm
        what="project"
        current={{ name: project.name, description: project.description }}
        busy={update.isPending}
        error={update.error}
        onSave={(v, done) => update.mutate(v, { onSuccess: done })}
        onClose={update.reset}
      />
      <ConfirmDelete
        what={`project ${project.name}`}
        warning="Its experiments and runs are deleted too; pipelines built from them stay."
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(project.id, { onSuccess: () => navigate(`/workspaces/${project.workspace_id}`) })}
      />
    </>
  )
}

export default function ProjectPage() {
  const { projectId = '' } = useParams()
  const project = useQuery(buildProjectQuery(projectId))
  const experiments = useQuery(buildListExperimentsQuery(projectId))
  const navigate = useNavigate()

  useRememberWorkspace(project.data?.workspace_id)
  if (project.isPending) return <Spinner />
  if (project.isError) return <LoadError error={project.error} what="Project" id={projectId} />
  const p = project.data

  return (
    <>
      <PageHeader
        title={p.name}
        crumbs={[{ label: 'Workspace', to: `/workspaces/${p.workspace_id}` }, { label: 'Projects' }]}
        meta={p.description}
        actions={
          <>
            <Link
              to={`/projects/${projectId}/experiments/new`}
              className="inline-flex h-8 items-center rounded-md bg-teal-700 px-3 text-sm font-medium text-white hover:bg-teal-800"
            >
              New experiment
            </Link>
            <ProjectActions project={p} />
          </>
        }
      />
      {experiments.isPending && <Spinner />}
      <ErrorNotice error={experiments.error} />
      {experiments.data?.data.length === 0 && (
        <EmptyState title="No experiments yet">Create one: pick data, a target to predict, and settings.</EmptyState>
      )}
      {!!experiments.data?.data.length && (
        <Table caption="Experiments" head={<><Th>Name</Th><Th>Task</Th><Th>Target</Th><Th>Data</Th><Th>Created</Th></>}>
          {experiments.data.data.map((x) => (
            <tr key={x.id} className="cursor-pointer hover:bg-slate-50" onClick={() => navigate(`/experiments/${x.id}`)}>
              <Td><Link to={`/experiments/${x.id}`} className="font-medium text-teal-800 hover:underline">{x.name}</Link></Td>
              <Td className="text-slate-600">{x.task}</Td>
              <Td className="font-mono text-xs">{x.target || '—'}</Td>
              <Td className="text-slate-600">{x.sklearn_dataset ? `sklearn:${x.sklearn_dataset}` : 'upload'}</Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(x.created_at)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  )
}
