/** Data source profiles: computed by a worker; polled while it works (the server answers 202). */
import { queryOptions } from '@tanstack/react-query'

import { dataSourcesApi } from '@/api/endpoints'
import type { Profile, ProfileStatus } from '@/api/types'

export const POLL_MS = 2000

export const profilesKeys = {
  all: ['profiles'] as const,
  detail: (sourceId: string, target = '') => [...profilesKeys.all, sourceId, target] as const,
}

/** True while the answer is the job's state (queued or running), not the profile. */
export function isPending(answer: Profile | ProfileStatus | undefined): answer is ProfileStatus {
  return !!answer && 'status' in answer
}

/** The profile of a data source (with `target`: against that column); polls until it is ready. */
export const buildProfileQuery = (sourceId: string, target?: string) =>
  queryOptions({
    queryKey: profilesKeys.detail(sourceId, target),
    queryFn: () => dataSourcesApi.profile(sourceId, target),
    refetchInterval: (q) => (isPending(q.state.data) ? POLL_MS : false),
  })
