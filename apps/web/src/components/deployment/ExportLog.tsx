/** Export a deployment's prediction log as CSV (optionally only the ok or failed calls). */
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'

import { client, unwrap } from '@/api/client'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { saveBlob } from '@/lib/download'

export function ExportLog({ deploymentId, slug }: { deploymentId: string; slug: string }) {
  const [outcome, setOutcome] = useState<'' | 'ok' | 'error'>('')
  const exportCsv = useMutation({
    mutationFn: () =>
      unwrap(
        client.GET('/api/v1/deployments/{deployment_id}/predictions/export', {
          params: { path: { deployment_id: deploymentId }, query: outcome ? { outcome } : {} },
          parseAs: 'blob',
        }),
      ) as Promise<Blob>,
    onSuccess: (blob) => saveBlob(blob, `${slug}-predictions.csv`),
  })
  return (
    <div className="mb-2 flex items-center gap-2 text-sm">
      <select aria-label="Outcome" className="rounded border px-2 py-1" value={outcome} onChange={(e) => setOutcome(e.target.value as '' | 'ok' | 'error')}>
        <option value="">every call</option>
        <option value="ok">ok calls</option>
        <option value="error">failed calls</option>
      </select>
      <Button variant="secondary" busy={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
        Export CSV
      </Button>
      <ErrorNotice error={exportCsv.error} />
    </div>
  )
}
