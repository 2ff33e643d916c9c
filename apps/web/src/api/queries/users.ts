/** Accounts of this Podium (administrators): the list, and disabling or enabling one. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'

import { usersApi } from '@/api/endpoints'

export const usersKeys = {
  all: ['users'] as const,
  list: () => [...usersKeys.all, 'list'] as const,
}

export const buildUsersQuery = () => queryOptions({ queryKey: usersKeys.list(), queryFn: usersApi.list })

/** Disable (`is_active: false`, which signs the account out everywhere) or enable an account. */
export function useSetUserActive() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, isActive }: { userId: string; isActive: boolean }) =>
      usersApi.update(userId, { is_active: isActive }),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKeys.list() }),
  })
}
