/** A deployment's prediction log and drift schedule settings (PATCH the deployment). */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'

import { client, unwrap } from '@/api/client'
import { deploymentsKeys } from '@/api/queries/deployments'
import type { Deployment } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { ErrorNotice } from '@/components/ui/feedback'

export function LogSettings({ deployment }: { deployment: Deployment }) {
  const qc = useQueryClient()
  const [rate, setRate] = useState(String(deployment.log_sample_rate))
  const [keep, setKeep] = useState(deployment.log_keep)
  const [days, setDays] = useState(String(deployment.log_retention_days))
  const [rows, setRows] = useState(String(deployment.log_max_rows))
  const [every, setEvery] = useState(deployment.drift_every_hours === null ? '' : String(deployment.drift_every_hours))
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        client.PATCH('/api/v1/deployments/{deployment_id}', {
          params: { path: { deployment_id: deployment.id } },
          body: {
            log_sample_rate: Number(rate),
            log_keep: keep,
            log_retention_days: Number(days),
            log_max_rows: Number(rows),
            drift_every_hours: every === '' ? null : Number(every),
          },
        }),
      ),
    onSuccess: (d) => {
      qc.setQueryData(deploymentsKeys.detail(deployment.id), d)
      return qc.invalidateQueries({ queryKey: deploymentsKeys.all })
    },
  })
  const field = 'rounded border px-2 py-1 w-28'
  return (
    <form className="flex flex-wrap items-end gap-3 text-sm" onSubmit={(e) => { e.preventDefault(); save.mutate() }}>
      <label className="flex flex-col">Sample rate (0–1)<input aria-label="Sample rate" className={field} value={rate} onChange={(e) => setRate(e.target.value)} /></label>
      <label className="flex flex-col">
        Keep
        <select aria-label="Keep" className="w-44 rounded border px-2 py-1" value={keep} onChange={(e) => setKeep(e.target.value as Deployment['log_keep'])}>
          <option value="full">inputs and outputs</option>
          <option value="counts">counts only</option>
        </select>
      </label>
      <label className="flex flex-col">Retention (days)<input aria-label="Retention days" className={field} value={days} onChange={(e) => setDays(e.target.value)} /></label>
      <label className="flex flex-col">At most (rows)<input aria-label="Max rows" className={field} value={rows} onChange={(e) => setRows(e.target.value)} /></label>
      <label className="flex flex-col">Drift report every (hours)<input aria-label="Drift every hours" placeholder="off" className={field} value={every} onChange={(e) => setEvery(e.target.value)} /></label>
      <Button type="submit" busy={save.isPending}>Save settings</Button>
      <ErrorNotice error={save.error} />
    </form>
  )
}
