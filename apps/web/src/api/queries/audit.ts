/** A workspace's audit log (owners): filtered pages, and the CSV export. */
import { keepPreviousData, queryOptions } from '@tanstack/react-query'

import { auditApi, type AuditQuery } from '@/api/endpoints'

export const auditKeys = {
  all: ['audit'] as const,
  list: (ws: string, query: AuditQuery) => [...auditKeys.all, ws, query] as const,
}

export const buildAuditQuery = (ws: string, query: AuditQuery) =>
  queryOptions({
    queryKey: auditKeys.list(ws, query),
    queryFn: () => auditApi.list(ws, query),
    placeholderData: keepPreviousData,
  })
