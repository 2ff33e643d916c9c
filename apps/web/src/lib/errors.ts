/** The one error type the API layer throws; `message` is the server's `detail` in words. */
export class ApiError extends Error {
  readonly status: number
  readonly detail: unknown

  constructor(status: number, detail: unknown, fallback = 'Request failed') {
    super(detailToMessage(detail) ?? `${fallback} (HTTP ${status})`)
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
  }
}

interface ValidationItem {
  loc?: unknown[]
  msg?: string
}

/** Turn FastAPI's `detail` (a string, or a list of validation items) into one readable sentence. */
export function detailToMessage(detail: unknown): string | null {
  if (typeof detail === 'string' && detail.trim()) return detail
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((item: ValidationItem) => {
        const loc = (item.loc ?? []).filter((p) => p !== 'body' && p !== 'query' && p !== 'path')
        return loc.length ? `${loc.join('.')}: ${item.msg ?? 'invalid'}` : (item.msg ?? 'invalid')
      })
      .join('; ')
  }
  if (detail && typeof detail === 'object' && 'message' in detail) {
    return String((detail as { message: unknown }).message)
  }
  return null
}

/** Message for any thrown value, for display next to the control that failed. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  return 'Something went wrong'
}
