/** /runs/:runId/models/:modelId — one model of a run, opened from a leaderboard row. */
import { useQuery } from '@tanstack/react-query'
import { useParams } from 'react-router-dom'

import { buildModelQuery } from '@/api/queries/models'
import { buildRunQuery } from '@/api/queries/runs'
import { ModelView } from '@/components/model/ModelView'
import { Spinner } from '@/components/ui/feedback'
import { LoadError } from '@/components/ui/LoadError'
import { PageHeader } from '@/components/ui/PageHeader'
import { shortId } from '@/lib/format'
import { useRememberWorkspace } from '@/stores/ui'

export default function ModelDetail() {
  const { runId = '', modelId = '' } = useParams()
  const run = useQuery(buildRunQuery(runId))
  const model = useQuery(buildModelQuery(runId, modelId))

  useRememberWorkspace(run.data?.workspace_id)
  if (model.isPending) return <Spinner />
  if (model.isError) return <LoadError error={model.error} what="Model" id={`${runId}/${modelId}`} />
  const m = model.data
  const crumbs = [
    ...(run.data ? [{ label: 'Experiment', to: `/experiments/${run.data.experiment_id}` }] : []),
    { label: `Run ${shortId(runId)}`, to: `/runs/${runId}` },
    { label: 'Models' },
  ]
  return (
    <>
      <PageHeader
        title={m.name}
        crumbs={crumbs}
        meta={
          <>
            <span>model <code className="font-mono">{m.model_id}</code></span>
            <span>{m.task}</span>
          </>
        }
      />
      <ModelView model={m} workspaceId={run.data?.workspace_id} />
    </>
  )
}
