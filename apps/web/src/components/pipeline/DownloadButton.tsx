/** Download a pipeline artifact: fetched with the bearer token, then saved via an object URL. */
import { useMutation } from '@tanstack/react-query'

import { pipelinesApi } from '@/api/endpoints'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'
import { saveBlob } from '@/lib/download'

export function DownloadButton({ id, filename }: { id: string; filename: string }) {
  const download = useMutation({
    mutationFn: () => pipelinesApi.download(id),
    onSuccess: (blob) => saveBlob(blob, filename),
  })
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" busy={download.isPending} onClick={() => download.mutate()}>
        Download artifact
      </Button>
      {download.error && <ErrorNotice error={download.error} />}
    </div>
  )
}
