/** "Run again": queue an identical run from this run's snapshot, then open it. The server
 * answers 409 saying what differs when the data or a result-changing library changed. */
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'

import { runsApi } from '@/api/endpoints'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'

export function RunAgain({ runId }: { runId: string }) {
  const navigate = useNavigate()
  const replay = useMutation({ mutationFn: () => runsApi.replay(runId), onSuccess: (run) => navigate(`/runs/${run.id}`) })
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" busy={replay.isPending} onClick={() => replay.mutate()}>
        Run again
      </Button>
      <ErrorNotice error={replay.error} />
    </div>
  )
}
