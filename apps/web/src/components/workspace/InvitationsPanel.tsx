/** Owners invite people by link (shown once, copyable), see the invitations and revoke them. */
import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'

import { buildInvitationsQuery, useInvite, useRevokeInvitation } from '@/api/queries/invitations'
import type { InvitationCreated, Role } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { ErrorNotice } from '@/components/ui/feedback'
import { Field, Input, Select } from '@/components/ui/form'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'

const ROLES: Role[] = ['viewer', 'editor', 'owner']

function InviteLink({ created }: { created: InvitationCreated }) {
  const [copied, setCopied] = useState(false)
  const link = `${window.location.origin}${created.path}`
  const copy = async () => {
    await navigator.clipboard?.writeText(link)
    setCopied(true)
  }
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">Send this link to {created.email} — it is shown only once.</p>
      <code data-testid="invite-link" className="block break-all rounded bg-white p-2 text-xs">{link}</code>
      <Button size="sm" variant="secondary" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy link'}</Button>
    </div>
  )
}

export function InvitationsPanel({ workspaceId }: { workspaceId: string }) {
  const list = useQuery(buildInvitationsQuery(workspaceId))
  const invite = useInvite(workspaceId)
  const revoke = useRevokeInvitation(workspaceId)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [days, setDays] = useState(3)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    invite.mutate({ email: email.trim(), role, valid_hours: days * 24 }, { onSuccess: () => setEmail('') })
  }

  return (
    <Card title="Invite people" id="invite">
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_9rem_7rem_auto] sm:items-end">
        <Field label="Invitee email">
          {(p) => <Input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Invitee role">
          {(p) => (
            <Select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </Select>
          )}
        </Field>
        <Field label="Valid (days)">
          {(p) => <Input {...p} type="number" min={1} max={30} value={days} onChange={(e) => setDays(Number(e.target.value))} />}
        </Field>
        <Button type="submit" busy={invite.isPending} disabled={!email.trim() || days < 1 || days > 30}>Create link</Button>
      </form>
      <div className="mt-3 space-y-3">
        <ErrorNotice error={invite.error ?? revoke.error ?? list.error} />
        {invite.data && <InviteLink created={invite.data} />}
        {!!list.data?.data.length && (
          <Table caption="Invitations" head={<><Th>Email</Th><Th>Role</Th><Th>Status</Th><Th>Expires</Th><Th><span className="sr-only">Actions</span></Th></>}>
            {list.data.data.map((i) => (
              <tr key={i.id}>
                <Td>{i.email}</Td>
                <Td>{i.role}</Td>
                <Td><StatusBadge status={i.status} /></Td>
                <Td className="text-slate-500">{formatDateTime(i.expires_at)}</Td>
                <Td className="text-right">
                  {i.status === 'pending' && (
                    <Button variant="ghost" size="sm" aria-label={`Revoke invitation of ${i.email}`} onClick={() => revoke.mutate(i.id)}>
                      Revoke
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
    </Card>
  )
}
