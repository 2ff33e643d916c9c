import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'

import { buildApiKeysQuery, useCreateApiKey, useRevokeApiKey } from '@/api/queries/apiKeys'
import type { ApiKeyCreated } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input } from '@/components/ui/form'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'

function NewKey({ created, onDismiss }: { created: ApiKeyCreated; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    await navigator.clipboard?.writeText(created.secret)
    setCopied(true)
  }
  return (
    <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">Copy the key for “{created.name}” now — it is shown only once.</p>
      <code data-testid="new-api-key" className="block overflow-x-auto rounded bg-white px-2 py-1.5 font-mono text-xs break-all text-slate-900">
        {created.secret}
      </code>
      <div className="flex gap-2">
        <Button size="sm" variant="secondary" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy key'}</Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>Done</Button>
      </div>
    </div>
  )
}

export function ApiKeysPanel({ workspaceId }: { workspaceId: string }) {
  const list = useQuery(buildApiKeysQuery(workspaceId))
  const create = useCreateApiKey(workspaceId)
  const revoke = useRevokeApiKey(workspaceId)
  const [name, setName] = useState('')
  const [created, setCreated] = useState<ApiKeyCreated | null>(null)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(name.trim(), { onSuccess: (k) => { setCreated(k); setName('') } })
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-3">
        {created && <NewKey created={created} onDismiss={() => setCreated(null)} />}
        {list.isPending && <Spinner />}
        <ErrorNotice error={list.error ?? revoke.error} />
        {list.data?.data.length === 0 && <EmptyState title="No API keys">Keys let scripts and deployments call Podium.</EmptyState>}
        {!!list.data?.data.length && (
          <Table caption="API keys" head={<><Th>Name</Th><Th>Prefix</Th><Th>Created</Th><Th>Last used</Th><Th><span className="sr-only">Actions</span></Th></>}>
            {list.data.data.map((k) => (
              <tr key={k.id}>
                <Td className="font-medium">{k.name}</Td>
                <Td className="font-mono text-xs text-slate-500">{k.prefix ? `${k.prefix}…` : '—'}</Td>
                <Td className="text-slate-500">{formatDateTime(k.created_at)}</Td>
                <Td className="text-slate-500">{formatDateTime(k.last_used_at)}</Td>
                <Td className="text-right">
                  <Button variant="ghost" size="sm" aria-label={`Revoke ${k.name}`} onClick={() => revoke.mutate(k.id)}>Revoke</Button>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <Card title="New API key" id="new-api-key">
        <form onSubmit={submit} className="space-y-3">
          <Field label="Key name">{(p) => <Input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <ErrorNotice error={create.error} />
          <Button type="submit" busy={create.isPending} disabled={!name.trim()}>Create key</Button>
        </form>
      </Card>
    </div>
  )
}
