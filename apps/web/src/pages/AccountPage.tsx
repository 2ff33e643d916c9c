/** The signed-in user's account: who they are, and changing the password. */
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'

import { buildMeQuery } from '@/api/queries/auth'
import { ChangePasswordForm } from '@/components/account/ChangePasswordForm'
import { Card } from '@/components/ui/Card'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'
import { PageHeader } from '@/components/ui/PageHeader'

export default function AccountPage() {
  const me = useQuery(buildMeQuery())
  return (
    <>
      <PageHeader title="Account" meta={me.data && <span data-testid="account-email">{me.data.email}</span>} />
      {me.isPending && <Spinner />}
      <ErrorNotice error={me.error} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Change password" id="change-password">
          <ChangePasswordForm />
        </Card>
        {me.data?.is_admin && (
          <Card title="Administration" id="administration">
            <p className="text-sm text-slate-600">
              You administer this Podium: you can disable and enable accounts on the{' '}
              <Link to="/users" className="font-medium text-teal-800 hover:underline">Users</Link> page.
            </p>
          </Card>
        )}
      </div>
    </>
  )
}
