/** Download a pipeline artifact: fetched with the bearer token, then saved via an object URL. */
import { useMutation } from '@tanstack/react-query'

import { pipelinesApi } from '@/api/endpoints'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'

export function DownloadButton({ id, filename }: { id: string; filename: string }) {
  const download = useMutation({
    mutationFn: () => pipelinesApi.download(id),
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = filename
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 1000)
    },
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
