/** The audit log, a workspace's (owners) or the instance's (administrators): filtered pages,
 * and the CSV export. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query'

import { auditApi, type AuditQuery, type AuditScope } from '@/api/endpoints'

export const auditKeys = {
  all: ['audit'] as const,
  list: (scope: AuditScope, query: AuditQuery) => [...auditKeys.all, scope ?? 'instance', query] as const,
}

export const buildAuditQuery = (scope: AuditScope, query: AuditQuery) =>
  queryOptions({
    queryKey: auditKeys.list(scope, query),
    queryFn: () => auditApi.list(scope, query),
    placeholderData: keepPreviousData,
  })
