/**
 * Loads a data source's profile and hands it to `children` once ready; while a worker computes
 * it (the server answers 202) it says so and polls; a failed profile shows the server's reason.
 */
import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'

import { buildProfileQuery, isPending } from '@/api/queries/profiles'
import type { Profile } from '@/api/types'
import { ErrorNotice, Spinner } from '@/components/ui/feedback'

interface Props {
  sourceId: string
  target?: string
  children: (profile: Profile) => ReactNode
}

export function ProfileLoader({ sourceId, target, children }: Props) {
  const q = useQuery(buildProfileQuery(sourceId, target))
  if (q.isPending) return <Spinner label="Loading the profile…" />
  if (q.isError) return <ErrorNotice error={q.error} title="No profile" />
  if (isPending(q.data)) {
    const what = q.data.status === 'running' ? 'A worker is profiling this table' : 'The profile is queued for a worker'
    return <Spinner label={`${what}${target ? ` (target “${target}”)` : ''}…`} />
  }
  return <>{children(q.data)}</>
}
