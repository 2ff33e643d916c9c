/**
 * Every account of this Podium, for administrators: disable one (it is signed out everywhere at
 * once and cannot sign in) or enable it again. Other users get the server's refusal.
 */
import { useQuery } from '@tanstack/react-query'

import { buildMeQuery } from '@/api/queries/auth'
import { buildUsersQuery, useSetUserActive } from '@/api/queries/users'
import { Button } from '@/components/ui/Button'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'
import { StatusBadge } from '@/components/ui/StatusBadge'
import { Table, Td, Th } from '@/components/ui/Table'
import { formatDateTime } from '@/lib/format'

export default function UsersPage() {
  const me = useQuery(buildMeQuery())
  const users = useQuery(buildUsersQuery())
  const setActive = useSetUserActive()
  const pendingId = setActive.isPending ? setActive.variables.userId : null

  return (
    <>
      <PageHeader
        title="Users"
        meta="Disabling an account signs it out everywhere at once; it cannot sign in until enabled again."
      />
      {users.isPending && <Spinner />}
      <ErrorNotice error={users.error} />
      <ErrorNotice error={setActive.error} />
      {users.data && (
        <Table
          caption="Accounts"
          head={<><Th>Email</Th><Th>Name</Th><Th>Role</Th><Th>Status</Th><Th>Created</Th><Th><span className="sr-only">Actions</span></Th></>}
        >
          {users.data.data.map((u) => (
            <tr key={u.id}>
              <Td className="font-medium">{u.email}</Td>
              <Td>{u.display_name}</Td>
              <Td>{u.is_admin ? 'administrator' : 'user'}</Td>
              <Td><StatusBadge status={u.is_active ? 'active' : 'disabled'} /></Td>
              <Td className="text-slate-500">{formatDateTime(u.created_at)}</Td>
              <Td className="text-right">
                {u.id === me.data?.id ? (
                  <span className="text-xs text-slate-400">you</span>
                ) : (
                  <Button
                    variant={u.is_active ? 'danger' : 'secondary'}
                    size="sm"
                    busy={pendingId === u.id}
                    aria-label={`${u.is_active ? 'Disable' : 'Enable'} ${u.email}`}
                    onClick={() => setActive.mutate({ userId: u.id, isActive: !u.is_active })}
                  >
                    {u.is_active ? 'Disable' : 'Enable'}
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  )
}
