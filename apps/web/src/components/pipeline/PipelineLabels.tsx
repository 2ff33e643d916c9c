/** A pipeline version's labels (staging / production): shown, and put on this version — which
 * moves the label from the version of the same name that had it. */
import { useMutation, useQueryClient } from '@tanstack/react-query'

import { pipelineLabelsApi } from '@/api/endpoints'
import { pipelinesKeys } from '@/api/queries/pipelines'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'

const LABELS = ['staging', 'production'] as const

export function PipelineLabels({ id, labels }: { id: string; labels: string[] }) {
  const qc = useQueryClient()
  const put = useMutation({
    mutationFn: (label: (typeof LABELS)[number]) => pipelineLabelsApi.put(id, label),
    onSuccess: (p) => {
      qc.setQueryData(pipelinesKeys.detail(id), p)
      return qc.invalidateQueries({ queryKey: pipelinesKeys.all })
    },
  })
  return (
    <span className="flex items-center gap-2">
      {labels.map((l) => (
        <span key={l} className="rounded bg-teal-100 px-2 py-0.5 text-xs text-teal-900">{l}</span>
      ))}
      {LABELS.filter((l) => !labels.includes(l)).map((l) => (
        <Button key={l} variant="secondary" busy={put.isPending && put.variables === l} onClick={() => put.mutate(l)}>
          Label {l}
        </Button>
      ))}
      <ErrorNotice error={put.error} />
    </span>
  )
}
