/** A pipeline's model, as the model page shows it: the run and model it was promoted from. */
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'

import { buildModelQuery } from '@/api/queries/models'
import { ModelView } from '@/components/model/ModelView'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { isNotFound } from '@/components/ui/LoadError'

export function SourceModel({ runId, modelId, workspaceId }: { runId: string; modelId: string; workspaceId: string }) {
  const model = useQuery(buildModelQuery(runId, modelId))
  return (
    <section aria-labelledby="source-model-title" className="mt-8">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="source-model-title" className="text-base font-semibold text-slate-900">Model</h2>
        <Link to={`/runs/${runId}/models/${encodeURIComponent(modelId)}`} className="text-sm text-teal-800 hover:underline">
          open the model page
        </Link>
      </div>
      {model.isPending && <Spinner />}
      {model.isError &&
        (isNotFound(model.error) ? (
          <p className="text-sm text-slate-500">The run this pipeline was promoted from is gone, and its model view with it.</p>
        ) : (
          <ErrorNotice error={model.error} />
        ))}
      {model.data && <ModelView model={model.data} workspaceId={workspaceId} />}
    </section>
  )
}
