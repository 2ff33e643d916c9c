/** Webhooks of a workspace (owners): add one (its signing secret shown once), pause, ping,
 * delete, the least drift severity each is told of, and each one's delivery log (status,
 * tries, last response). */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'

import { buildDeliveriesQuery, buildWebhooksQuery, useCreateWebhook, useWebhookActions } from '@/api/queries/webhooks'
import type { DriftLevel, Webhook, WebhookEvent } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input, Select } from '@/components/ui/form'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'

const EVENTS: WebhookEvent[] = ['run.finished', 'run.failed', 'deployment.changed', 'drift.detected']
const DRIFT_LEVELS: DriftLevel[] = ['low', 'medium', 'high']
const DRIFT_HINT = 'drift.detected is sent for drift reports at least this severe.'

/** The least drift severity a webhook hears of, as a labelled select. */
function DriftLevelField({ value, onChange, disabled }: { value: DriftLevel; onChange: (level: DriftLevel) => void; disabled?: boolean }) {
  return (
    <Field label="Drift alerts from" hint={DRIFT_HINT}>
      {(p) => (
        <Select {...p} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as DriftLevel)}>
          {DRIFT_LEVELS.map((level) => <option key={level} value={level}>{level}</option>)}
        </Select>
      )}
    </Field>
  )
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const list = useQuery(buildDeliveriesQuery(webhookId))
  if (list.isPending) return <Spinner />
  if (list.error) return <ErrorNotice error={list.error} />
  if (!list.data.count) return <p className="text-sm text-slate-500">No deliveries yet.</p>
  return (
    <Table caption="Deliveries" head={<><Th>Event</Th><Th>Status</Th><Th>Tries</Th><Th>Response</Th><Th>Queued</Th></>}>
      {list.data.data.map((d) => (
        <tr key={d.id}>
          <Td className="font-mono text-xs">{d.event}</Td>
          <Td><StatusBadge status={d.status} /></Td>
          <Td>{d.attempts}</Td>
          <Td>{d.response_code ?? d.error ?? '—'}</Td>
          <Td className="text-slate-500">{formatDateTime(d.created_at)}</Td>
        </tr>
      ))}
    </Table>
  )
}

function HookCard({ workspaceId, hook }: { workspaceId: string; hook: Webhook }) {
  const actions = useWebhookActions(workspaceId)
  const [open, setOpen] = useState(false)
  return (
    <Card
      title={hook.url}
      actions={
        <div className="flex gap-2">
          <StatusBadge status={hook.active ? 'active' : 'paused'} />
          <Button size="sm" variant="secondary" onClick={() => actions.ping.mutate(hook.id, { onSuccess: () => setOpen(true) })}>Send test</Button>
          <Button size="sm" variant="secondary" onClick={() => actions.setActive.mutate({ id: hook.id, active: !hook.active })}>
            {hook.active ? 'Pause' : 'Resume'}
          </Button>
          <Button size="sm" variant="ghost" aria-label={`Delete webhook ${hook.url}`} onClick={() => actions.remove.mutate(hook.id)}>Delete</Button>
        </div>
      }
    >
      <p className="text-sm text-slate-600">Events: {hook.events.join(', ')}</p>
      {hook.events.includes('drift.detected') && (
        <DriftLevelField
          value={hook.drift_min_severity}
          disabled={actions.setDriftLevel.isPending}
          onChange={(level) => actions.setDriftLevel.mutate({ id: hook.id, level })}
        />
      )}
      <ErrorNotice error={actions.ping.error ?? actions.setActive.error ?? actions.setDriftLevel.error ?? actions.remove.error} />
      <Button size="sm" variant="ghost" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? 'Hide deliveries' : 'Show deliveries'}
      </Button>
      {open && <Deliveries webhookId={hook.id} />}
    </Card>
  )
}

export function WebhooksPanel({ workspaceId }: { workspaceId: string }) {
  const list = useQuery(buildWebhooksQuery(workspaceId))
  const create = useCreateWebhook(workspaceId)
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<WebhookEvent[]>(['run.finished', 'run.failed'])
  const [driftLevel, setDriftLevel] = useState<DriftLevel>('medium')
  const toggle = (e: WebhookEvent) => setEvents(events.includes(e) ? events.filter((x) => x !== e) : [...events, e])
  const drift = events.includes('drift.detected')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = { url: url.trim(), events, ...(drift ? { drift_min_severity: driftLevel } : {}) }
    create.mutate(body, { onSuccess: () => setUrl('') })
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-3">
        {list.isPending && <Spinner />}
        <ErrorNotice error={list.error} />
        {list.data?.count === 0 && <EmptyState title="No webhooks">Add an endpoint to hear of runs, deployments and drift.</EmptyState>}
        {list.data?.data.map((h) => <HookCard key={h.id} workspaceId={workspaceId} hook={h} />)}
      </div>
      <Card title="Add webhook" id="add-webhook">
        <form onSubmit={submit} className="space-y-3">
          <Field label="Endpoint URL" hint="http:// or https://; bodies are signed with HMAC-SHA256 (see the README).">
            {(p) => <Input {...p} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />}
          </Field>
          <fieldset className="space-y-1 text-sm">
            <legend className="font-medium text-slate-700">Events</legend>
            {EVENTS.map((e) => (
              <label key={e} className="flex items-center gap-2">
                <input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} /> {e}
              </label>
            ))}
          </fieldset>
          {drift && <DriftLevelField value={driftLevel} onChange={setDriftLevel} />}
          <ErrorNotice error={create.error} />
          <Button type="submit" busy={create.isPending} disabled={!url.trim() || events.length === 0}>Add webhook</Button>
        </form>
        {create.data && (
          <div className="mt-3 space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
            <p className="font-medium text-amber-900">Signing secret — shown only once:</p>
            <code data-testid="webhook-secret" className="block break-all">{create.data.secret}</code>
          </div>
        )}
      </Card>
    </div>
  )
}
