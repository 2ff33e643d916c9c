/** A deployment's versions: what it serves, switch to another version, roll back, history. */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'

import { buildDeploymentVersionsQuery, useRollback, useSwitchVersion } from '@/api/queries/deploymentVersions'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatTime } from '@/lib/format'

export function VersionsPanel({ deploymentId, canChange }: { deploymentId: string; canChange: boolean }) {
  const versions = useQuery(buildDeploymentVersionsQuery(deploymentId))
  const switchTo = useSwitchVersion(deploymentId)
  const rollback = useRollback(deploymentId)
  const [chosen, setChosen] = useState('')
  if (versions.isPending) return <Spinner />
  if (versions.isError) return <ErrorNotice error={versions.error} />
  const v = versions.data
  const others = v.available.filter((p) => p.version !== v.current_version && p.status === 'ready')
  return (
    <div className="space-y-3">
      <p className="text-sm">
        Serves <strong>{v.pipeline_name} v{v.current_version}</strong>. A switch never fails a call: the new version is
        loaded before the deployment points at it.
      </p>
      {canChange && (
        <div className="flex flex-wrap items-center gap-2">
          <label className="text-sm">
            Version{' '}
            <select aria-label="Version to serve" className="rounded border px-2 py-1" value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">choose…</option>
              {others.map((p) => (
                <option key={p.id} value={String(p.version)}>
                  v{p.version}
                  {p.labels.length ? ` (${p.labels.join(', ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <Button disabled={!chosen} busy={switchTo.isPending} onClick={() => switchTo.mutate(Number(chosen), { onSuccess: () => setChosen('') })}>
            Switch
          </Button>
          <Button variant="secondary" disabled={v.rollback_to === null} busy={rollback.isPending} onClick={() => rollback.mutate()}>
            {v.rollback_to === null ? 'Roll back' : `Roll back to v${v.rollback_to}`}
          </Button>
        </div>
      )}
      <ErrorNotice error={switchTo.error ?? rollback.error} />
      <Table caption="Version history" head={<><Th>Time</Th><Th>Change</Th><Th>Version</Th></>}>
        {v.history.map((h) => (
          <tr key={h.id}>
            <Td className="font-mono text-xs text-slate-500">{formatTime(h.created_at)}</Td>
            <Td>{h.action}</Td>
            <Td>{h.from_version ? `v${h.from_version} → v${h.pipeline_version}` : `v${h.pipeline_version}`}</Td>
          </tr>
        ))}
      </Table>
    </div>
  )
}
