/**
 * This Podium's audit log, for administrators: sign-ins (failed and refused ones too), account
 * administration and every workspace's changes. Reached from the header (administrators only);
 * anyone else who opens the address is told it is not theirs, and nothing is fetched.
 */
import { useQuery } from '@tanstack/react-query'

import { buildMeQuery } from '@/api/queries/auth'
import { AuditPanel } from '@/components/workspace/AuditPanel'
import { EmptyState, ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'

export default function AuditLogPage() {
  const me = useQuery(buildMeQuery())
  return (
    <>
      <PageHeader
        title="Audit log"
        meta="Every sign-in, account change and workspace change of this Podium, newest first."
      />
      {me.isPending && <Spinner />}
      <ErrorNotice error={me.error} />
      {me.data && !me.data.is_admin && (
        <EmptyState title="Only administrators read this Podium's audit log">
          A workspace's owners read its log in the workspace's Audit log tab.
        </EmptyState>
      )}
      {me.data?.is_admin && <AuditPanel workspaceId={null} />}
    </>
  )
}
