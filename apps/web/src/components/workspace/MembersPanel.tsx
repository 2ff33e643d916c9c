import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'

import {
  buildMembersQuery,
  useAddMember,
  useRemoveMember,
  useUpdateMember,
  useWorkspaceAbilities,
} from '@/api/queries/workspaces'
import type { Role } from '@/api/types'
import { Button } from '@/components/ui/Button'
import { Card } from '@/components/ui/Card'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { Field, Input, Select } from '@/components/ui/form'
import { Table, Td, Th } from '@/components/ui/Table'
import { InvitationsPanel } from '@/components/workspace/InvitationsPanel'

export const ROLES: Role[] = ['owner', 'editor', 'viewer']

export function MembersPanel({ workspaceId }: { workspaceId: string }) {
  const list = useQuery(buildMembersQuery(workspaceId))
  const add = useAddMember(workspaceId)
  const update = useUpdateMember(workspaceId)
  const remove = useRemoveMember(workspaceId)
  const can = useWorkspaceAbilities(workspaceId)
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('editor')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') })
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-3">
        {list.isPending && <Spinner />}
        <ErrorNotice error={list.error} />
        <ErrorNotice error={update.error ?? remove.error} />
        {list.data?.data.length === 0 && <EmptyState title="No members" />}
        {!!list.data?.data.length && (
          <Table caption="Members" head={<><Th>Email</Th><Th>Role</Th><Th><span className="sr-only">Actions</span></Th></>}>
            {list.data.data.map((m) => (
              <tr key={m.user_id}>
                <Td className="font-medium">{m.email}</Td>
                <Td>
                  <Select
                    aria-label={`Role for ${m.email}`}
                    value={m.role}
                    className="w-32"
                    onChange={(e) => update.mutate({ userId: m.user_id, role: e.target.value as Role })}
                  >
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </Select>
                </Td>
                <Td className="text-right">
                  <Button variant="ghost" size="sm" aria-label={`Remove ${m.email}`} onClick={() => remove.mutate(m.user_id)}>
                    Remove
                  </Button>
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {can?.administer && <InvitationsPanel workspaceId={workspaceId} />}
      </div>
      <Card title="Add member" id="add-member">
        <form onSubmit={submit} className="space-y-3">
          <Field label="Member email" hint="The person needs a Podium account.">
            {(p) => <Input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field label="Member role">
            {(p) => (
              <Select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
              </Select>
            )}
          </Field>
          <ErrorNotice error={add.error} />
          <Button type="submit" busy={add.isPending} disabled={!email.trim()}>Add member</Button>
        </form>
      </Card>
    </div>
  )
}
