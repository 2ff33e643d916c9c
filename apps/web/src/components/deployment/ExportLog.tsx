/** Export a deployment's prediction log as CSV: the calls the log view's filter selects (time range, outcome). */
import { useMutation } from '@tanstack/react-query'

import { client, unwrap } from '@/api/client'
import type { PredictionLogFilter } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { saveBlob } from '@/lib/download'

export function ExportLog({ deploymentId, slug, filter = {} }: { deploymentId: string; slug: string; filter?: PredictionLogFilter }) {
  const { since, until, outcome } = filter
  const exportCsv = useMutation({
    mutationFn: () =>
      unwrap(
        client.GET('/api/v1/deployments/{deployment_id}/predictions/export', {
          params: { path: { deployment_id: deploymentId }, query: { since, until, outcome } },
          parseAs: 'blob',
        }),
      ) as Promise<Blob>,
    onSuccess: (blob) => saveBlob(blob, `${slug}-predictions.csv`),
  })
  return (
    <div className="mb-2 flex items-center gap-2 text-sm">
      <Button variant="secondary" busy={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
        {since || until || outcome ? 'Export these calls as CSV' : 'Export CSV'}
      </Button>
      <ErrorNotice error={exportCsv.error} />
    </div>
  )
}
