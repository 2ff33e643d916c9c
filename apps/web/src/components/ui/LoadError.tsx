/**
 * A detail page that could not load its resource. An unknown id (404) or a malformed one (422)
 * reads "<What> not found" with a way back; any other failure is shown in the server's words.
 */
import { Link } from 'react-router-dom'

import { ErrorNotice } from '@/components/ui/feedback'
import { ApiError } from '@/lib/errors'
import { useUiStore } from '@/stores/ui'

/** True for the answers that mean "there is nothing at this id". */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 422)
}

export function LoadError({ error, what, id }: { error: unknown; what: string; id: string }) {
  const workspaceId = useUiStore((s) => s.workspaceId)
  if (!isNotFound(error)) return <ErrorNotice error={error} />
  const back = workspaceId ? { to: `/workspaces/${workspaceId}`, label: 'Back to the workspace' } : { to: '/', label: 'Back to workspaces' }
  return (
    <section aria-labelledby="not-found-title" className="mx-auto mt-10 max-w-lg rounded-lg border border-slate-200 bg-white px-6 py-8 text-center">
      <h1 id="not-found-title" className="text-lg font-semibold text-slate-900">{what} not found</h1>
      <p className="mt-2 text-sm break-all text-slate-500">
        No {what.toLowerCase()} has the id <code className="font-mono text-slate-700">{id || '(empty)'}</code>. It may have been
        deleted, or the link is mistyped.
      </p>
      <Link to={back.to} className="mt-4 inline-block text-sm font-medium text-teal-700 hover:underline">{back.label}</Link>
    </section>
  )
}
